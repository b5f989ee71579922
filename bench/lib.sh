# Sourced by bench/daemon.sh and bench/retry.sh: builds the jar and the test classes when the sources are newer,
# and sets JAR, OUT, STAMP (exported) and log (OUT/<name>-<STAMP>.txt).
#   bench_prepare <name> <bench class, e.g. RetryBench>
bench_prepare() {
  JAR=target/odoo-mail-watchdog.jar
  local main=target/test-classes/io/mailwatchdog/bench/$2.class
  if [ ! -f "$JAR" ] || [ ! -f "$main" ] \
     || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ] || [ -n "$(find src/test -newer "$main" -print -quit)" ]; then
    echo "building $JAR and the test classes ..." >&2
    mvn -B -q -o -DskipTests package
  fi
  OUT=${OUT:-target/bench}
  export OUT
  mkdir -p "$OUT"
  STAMP=$(date -u +%Y%m%dT%H%M%SZ)
  export STAMP
  log=$OUT/$1-$STAMP.txt
}
