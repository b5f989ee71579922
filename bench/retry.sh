#!/usr/bin/env bash
# The safe retry's throughput against Odoo's own process_email_queue, and the cost of planning (issue 5).
# bench/README.md, section "Retry benchmark", says what is measured and shows a run.
#
#   bash bench/retry.sh                         # sim + real (if ODOO_URL is set) + plan: about 5 min
#   ODOO_URL=http://127.0.0.1:8069 ODOO_DB=watchdog ODOO_LOGIN=admin ODOO_PASSWORD=admin bash bench/retry.sh
#   PARTS=plan bash bench/retry.sh              # one part only (sim, real, plan; comma-separated)
#
# Runs src/test/java/io/mailwatchdog/bench/RetryBench.java (a program, not a test) in one JVM with the shaded jar
# and target/test-classes; the simulated Odoo and GreenMail run in it. The real part talks to the Odoo of
# ODOO_URL (as RealOdooIT: ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD) and counts deliveries in the SMTP sink's
# index.jsonl (ODOO_SINK_DIR, default ../.odoo-ref/mail-sink); it creates an ir.mail_server to the sink
# (127.0.0.1:2525) and mail.mail rows linked to admin's partner, and unlinks them all at the end. Without
# ODOO_URL it is skipped with a message. Knobs (environment):
#   SIM_MAILS 2000   REAL_MAILS 500   REPS 5 (order alternating; SIM_REPS, REAL_REPS apart)   SIM_WARMUP 500   REAL_WARMUP 50 (not reported)
#   CHUNK 100   CANARY 5 (the retry's chunk-size and canary-size; rate-per-minute is 0: pacing off)
#   PLAN_MAILS 100000   PLAN_HISTORY_IDS 30000   PLAN_RUNS 7   PLAN_WARMUP 5   JOURNAL_REQUEUES 5000
#   FIT_SIZES 100000,200000 (plans tried in a child JVM with the systemd unit's JAVA_OPTS; empty = none)
#   SEED 5   SAMPLE_MICROS 1000 (stack sampling period of the retry thread in the one profiled run per part, not in the ratios)   OUT target/bench
#   BENCH_JAVA_OPTS (the driver JVM's options, default -Xmx2g)
# Output: the tables on stdout, also in target/bench/retry-<time>.txt; JSON lines in target/bench/retry-<time>.jsonl;
# the state dirs (config, journal) of every run in target/bench/retry-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_prepare retry RetryBench
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$JAR:target/test-classes" io.mailwatchdog.bench.RetryBench "$@" | tee "$log"
echo "saved: $log" >&2
