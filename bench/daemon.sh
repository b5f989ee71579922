#!/usr/bin/env bash
# The daemon's own cost and its reaction time, against the simulated Odoo (no Odoo needed).
# bench/README.md, section "Daemon", says what is measured and shows a run.
#
#   bash bench/daemon.sh                                   # idle-1, idle-100, busy-100, stall: about 10 min
#   SCENARIOS=stall STALL_PROBE_INTERVAL=60 bash bench/daemon.sh
#   INTERVALS=5 bash bench/daemon.sh                      # 5 probe intervals measured: one SMTP test (5 min) each
#
# The simulator and one GreenMail run in the driver JVM; the daemon is a child JVM started as the README
# says, java $JAVA_OPTS -jar target/odoo-mail-watchdog.jar -c <conf> run, with the JAVA_OPTS of
# systemd/odoo-mail-watchdog.service (DAEMON_JAVA_OPTS replaces them). Its RSS and CPU come from
# /proc/<pid>/status and /proc/<pid>/stat. Knobs (environment, seconds unless said):
#   SCENARIOS             idle-1,idle-100,busy-100,stall   (idle-N, busy-N for any N; stall-flush: the stall
#                         without the simulated cron workers, so only the daemon's flush sends)
#   PROBE_INTERVAL 60     SMTP_TEST_INTERVAL 300     WARMUP 30     INTERVALS 2 (probe intervals measured)
#   BUSY_MAILS 20 (per database per interval)   BUSY_AGE 600 (how long they have been due)
#   BUSY_STALL_EVERY 10 (every 10th database's cron deactivated each interval; 0 = none)
#   STALL_PROBE_INTERVAL 10   STALL_REPEATS 3 (at random moments)   STALL_EDGES 1 (two more: just after a probe
#   began and 0.5 s before the next; 0 = none)   STALL_BACKLOG 20   STALL_TARGETS 1   STALL_VERSION 18.0
#   FLUSH_AFTER 60 (stall only)   CRON_POLL 60 (the simulated cron workers' poll, Odoo's 60 s; 0 = no workers)
#   DAEMON_ARGS (after `run`, e.g. "--reload-check 3600" to see what the 5 s config check costs)
#   SEED (stall moments; random and printed if unset)   DIAG=1 (adds -XX:NativeMemoryTracking=summary; after the
#   measurement saves jcmd VM.native_memory summary, GC.heap_info, GC.run, GC.heap_info: a diagnosis)   OUT target/bench
# Output: the tables on stdout, also in target/bench/daemon-<time>.txt; JSON lines in
# target/bench/daemon-<time>.jsonl; each daemon's config, command, logs and /metrics in target/bench/daemon-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_prepare daemon DaemonBench
java -cp "$JAR:target/test-classes" io.mailwatchdog.bench.DaemonBench "$@" | tee "$log"
echo "saved: $log" >&2
