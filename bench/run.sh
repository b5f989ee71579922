#!/usr/bin/env bash
# Python baseline vs Java watchdog, back to back against the same local Odoo, for each version.
#
#   bash bench/run.sh              # every version of ../shared/odoo-harness that answers
#   bash bench/run.sh 18 19        # only these
#   PROBES=50 WARMUP=20 SEED=1 bash bench/run.sh
#
# SEED=1 (default) puts a queue in each database first (bench/queue_fixture.py: 200 outgoing + 50
# exception mails, mail cron deactivated) and removes it afterwards (mails unlinked, cron active
# again), also on Ctrl-C. SEED=0 measures the queue as it is. Raw JSON lines go to
# target/bench/results-<date>.jsonl. Server CPU comes from /proc, so run this on Odoo's machine,
# as a user that can read Odoo's and PostgreSQL's /proc/<pid>/stat (ss -p must show Odoo's PID).
set -euo pipefail
cd "$(dirname "$0")/.."

PROBES=${PROBES:-50}
WARMUP=${WARMUP:-20}
# The JVM's C2 compiler needs about 1,500 probes (7,500 requests) to settle; Python needs no warm-up.
JAVA_WARMUP=${JAVA_WARMUP:-$WARMUP}
FULL_PROBES=${FULL_PROBES:-$PROBES}
FULL_WARMUP=${FULL_WARMUP:-$WARMUP}
SEED=${SEED:-1}
LOGIN=${ODOO_LOGIN:-admin}
PASSWORD=${ODOO_PASSWORD:-admin}
JAR=target/odoo-mail-watchdog.jar

declare -A PORT=([16]=8016 [17]=8017 [18]=8069 [19]=8019)
declare -A DB=([16]=watchdog16 [17]=watchdog17 [18]=watchdog [19]=watchdog19)

versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(16 17 18 19)

if [ ! -f "$JAR" ]; then
  echo "building $JAR ..." >&2
  mvn -B -q -o -DskipTests package
fi

mkdir -p target/bench
out=target/bench/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl
: > "$out"

reachable() {
  python3 -c 'import sys, xmlrpc.client; xmlrpc.client.ServerProxy(sys.argv[1] + "/xmlrpc/2/common").version()' \
    "$1" >/dev/null 2>&1
}

seeded=""
cleanup() {
  if [ -n "$seeded" ]; then
    python3 bench/queue_fixture.py cleanup --url "$seeded_url" --db "$seeded_db" --login "$LOGIN" --password "$PASSWORD" >&2 || true
    seeded=""
  fi
}
trap cleanup EXIT INT TERM

for v in "${versions[@]}"; do
  if [ -z "${PORT[$v]:-}" ]; then
    echo "unknown version $v (16, 17, 18 or 19)" >&2
    exit 2
  fi
  url=http://127.0.0.1:${PORT[$v]}
  db=${DB[$v]}
  if ! reachable "$url"; then
    echo "== $v: $url does not answer, skipped" >&2
    continue
  fi
  echo "== $v: $url $db (probes $PROBES, warm-up $WARMUP)" >&2
  if [ "$SEED" = 1 ]; then
    seeded=1 seeded_url=$url seeded_db=$db
    python3 bench/queue_fixture.py seed --url "$url" --db "$db" --login "$LOGIN" --password "$PASSWORD" >&2
  fi
  common=(--url "$url" --db "$db" --login "$LOGIN" --password "$PASSWORD" --probes "$PROBES" --warmup "$WARMUP")
  python3 bench/probe_baseline.py "${common[@]}" --server-cpu | tee -a "$out" >&2
  java -cp "$JAR" bench/ProbeBench.java "${common[@]}" --warmup "$JAVA_WARMUP" --full-probes "$FULL_PROBES" --full-warmup "$FULL_WARMUP" \
    | tee -a "$out" >&2
  cleanup
done

python3 - "$out" "$PROBES" "$WARMUP" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
py = {r["version"]: r for r in rows if r["client"].startswith("python")}
java = {(r["version"], r["mode"]): r for r in rows if r["client"].startswith("java")}
def ratio(a, b):
    return f"{a / b:.2f}x" if b else "-"
def f(x):
    return "-" if x is None else (f"{x:g}" if isinstance(x, (int, float)) else str(x))
print(f"\nprobes {sys.argv[2]} after {sys.argv[3]} warm-up (Java: see JAVA_WARMUP); per probe; client CPU = whole process (user+sys);"
      " server CPU = Odoo process + all PostgreSQL processes")
print("| Odoo | mode | requests Py / Java (ratio) | client CPU ms Py / Java (ratio) | Java main-thread CPU ms"
      " | wall ms Py / Java | server CPU ms Py / Java (Odoo+PG) |")
print("|---|---|---|---|---|---|---|")
for version in sorted(py, key=lambda s: [int(p) if p.isdigit() else 0 for p in s.split(".")]):
    p = py[version]
    for mode in ("five-facts", "full-probe"):
        j = java.get((version, mode))
        if not j:
            continue
        if mode == "five-facts":
            req = f"{f(p['requests_per_probe'])} / {f(j['requests_per_probe'])} ({ratio(j['requests_per_probe'], p['requests_per_probe'])})"
            cpu = f"{f(p['cpu_ms_per_probe'])} / {f(j['cpu_ms_per_probe'])} ({ratio(j['cpu_ms_per_probe'], p['cpu_ms_per_probe'])})"
            wall = f"{f(p['wall_ms_per_probe'])} / {f(j['wall_ms_per_probe'])}"
            srv = (f"{f(p.get('server_cpu_ms_per_probe'))} / {f(j.get('server_cpu_ms_per_probe'))}"
                   f" ({f(j.get('odoo_cpu_ms_per_probe'))}+{f(j.get('postgres_cpu_ms_per_probe'))})")
        else:
            req = f"- / {f(j['requests_per_probe'])}" + (f" [{j['requests_min_max']}]" if "requests_min_max" in j else "")
            cpu = f"- / {f(j['cpu_ms_per_probe'])}"
            wall = f"- / {f(j['wall_ms_per_probe'])}"
            srv = f"- / {f(j.get('server_cpu_ms_per_probe'))} ({f(j.get('odoo_cpu_ms_per_probe'))}+{f(j.get('postgres_cpu_ms_per_probe'))})"
        print(f"| {version} | {mode} | {req} | {cpu} | {f(j['thread_cpu_ms_per_probe'])} | {wall} | {srv} |")
print(f"\nraw: {sys.argv[1]}")
EOF
