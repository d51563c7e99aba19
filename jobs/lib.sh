# Shared by the jobs/ launchers: how to run a sparknn main class with spark-submit.
# With SPARK_HOME set, its bin/spark-submit runs the cluster jar (any master: pass --master via
# SPARKNN_SUBMIT_ARGS, e.g. SPARKNN_SUBMIT_ARGS="--master yarn --num-executors 8").
# Without it, Spark's own SparkSubmit runs from the Maven-resolved classpath on local[*]: no download needed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"   # one BLAS thread per Spark task slot
# Paths a user gives (configs, run and model directories, data.dir) are relative to where they ran the launcher;
# what the project ships is found from here instead: the embedded MNIST and the harness's PyTorch script.
export SPARKNN_HOME="$ROOT"
export SPARKNN_DATA="${SPARKNN_DATA:-file://$ROOT/data/mnist}"

# The JVM flags live in conf/jvm.options, which the test JVMs read too (pom.xml); java reads the file itself
# (@argfile), so both get exactly the same flags. The log4j2 config needs $ROOT, so it is added here.
JVM_OPTIONS="$ROOT/conf/jvm.options"
[ -f "$JVM_OPTIONS" ] || { echo "sparknn: $JVM_OPTIONS is missing" >&2; exit 1; }
JAVA_FLAGS=("@$JVM_OPTIONS" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties")

# newest_jar: the newest jar Maven built, target/sparknn-VERSION.jar (classifier jars and the shade plugin's
# original-*.jar left out), or nothing. Reading the version from the built jar needs no pom.xml parsing.
newest_jar() {
  local f newest=""
  for f in "$ROOT"/target/sparknn-*.jar; do
    [ -f "$f" ] || continue
    case "${f##*/}" in *-tests.jar | *-sources.jar | *-test-sources.jar | *-javadoc.jar) continue ;; esac
    if [ -z "$newest" ] || [ "$f" -nt "$newest" ]; then newest="$f"; fi
  done
  printf '%s' "$newest"
}

# ensure_jar: sets JAR, first building it when there is none or when pom.xml or a file under src/main is newer
# than it, so that no launcher runs classes older than the sources.
ensure_jar() {
  JAR="$(newest_jar)"
  if [ -n "$JAR" ] && [ -z "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    return
  fi
  if [ -n "$JAR" ]; then
    echo "sparknn: sources changed since ${JAR##*/}: rebuilding it..." >&2
  else
    echo "sparknn: building the jar (first run only)..." >&2
  fi
  local stamp
  stamp="$(mktemp)"
  (cd "$ROOT" && mvn -q -B -DskipTests -Dmdep.skip=true package) >&2 || { rm -f "$stamp"; exit 1; }
  JAR="$(newest_jar)"
  if [ -z "$JAR" ]; then
    rm -f "$stamp"
    echo "sparknn: mvn package left no target/sparknn-*.jar" >&2
    exit 1
  fi
  # The jar holds the sources as of the build's start (a build with nothing to recompile may not even rewrite
  # it): dating it so makes an edit made during the build trigger the next rebuild, and nothing else.
  touch -r "$stamp" "$JAR"
  rm -f "$stamp"
}

ensure_classpath() {
  local cp="$ROOT/target/runtime-classpath.txt"
  if [ ! -s "$cp" ] || [ "$ROOT/pom.xml" -nt "$cp" ]; then
    (cd "$ROOT" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$cp") >&2
  fi
  CLASSPATH_DEPS="$(cat "$cp")"
}

# run_copy_of_jar: sets RUN_JAR to a private copy of the jar for this run (named by the PID the JVM will keep
# through exec), so that rebuilding sparknn while a long job runs cannot change classes under it; copies whose
# process has ended are removed.
run_copy_of_jar() {
  local dir="$ROOT/target/run-jars" f pid
  mkdir -p "$dir"
  for f in "$dir"/*.jar; do
    [ -e "$f" ] || continue
    pid="${f##*-}"; pid="${pid%.jar}"
    kill -0 "$pid" 2>/dev/null || rm -f "$f"
  done
  RUN_JAR="$dir/$(basename "$JAR" .jar)-$$.jar"
  cp "$JAR" "$RUN_JAR"
}

# submit MAIN_CLASS ARGS... : runs a main class of the jar through spark-submit.
submit() {
  local main="$1"; shift
  ensure_jar
  run_copy_of_jar
  if [ -n "${SPARK_HOME:-}" ]; then
    # shellcheck disable=SC2086
    exec "$SPARK_HOME/bin/spark-submit" ${SPARKNN_SUBMIT_ARGS:-} \
      --driver-java-options "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties -Djava.awt.headless=true" \
      --class "$main" "$RUN_JAR" "$@"
  fi
  ensure_classpath
  # SPARKNN_JAVA_OPTS: extra driver JVM flags (GC, JFR, ...), word-split on purpose.
  # shellcheck disable=SC2086
  exec java -Xmx"${SPARKNN_DRIVER_MEMORY:-6g}" "${JAVA_FLAGS[@]}" ${SPARKNN_JAVA_OPTS:-} \
    -cp "$RUN_JAR:$CLASSPATH_DEPS" \
    org.apache.spark.deploy.SparkSubmit --master "${SPARKNN_MASTER:-local[*]}" ${SPARKNN_SUBMIT_ARGS:-} \
    --class "$main" "$RUN_JAR" "$@"
}

# config_args [CONFIG] [key=value | --option ...]: a first argument that is a file is the config; bare
# key=value arguments become --set key=value.
config_args() {
  ARGS=()
  local default_config="$ROOT/$1"; shift
  if [ $# -gt 0 ] && [ "${1#--}" = "$1" ] && [ "${1#*=}" = "$1" ]; then
    ARGS+=(--config "$1"); shift
  elif ! printf '%s\n' "$@" | grep -qE '^--(config|resume)'; then
    ARGS+=(--config "$default_config")
  fi
  while [ $# -gt 0 ]; do
    case "$1" in
      --*) ARGS+=("$1"); if [ $# -gt 1 ] && [ "${2#--}" = "$2" ] && [ "$1" != "--help" ]; then ARGS+=("$2"); shift; fi ;;
      *=*) ARGS+=(--set "$1") ;;
      *) echo "sparknn: unexpected argument '$1' (expected key=value or --option)" >&2; exit 2 ;;
    esac
    shift
  done
}
