#!/usr/bin/env bash
# The performance benchmark in one invocation, back to back on this machine: sparknn on Spark (local[*]),
# LocalTrainer in its own JVMs, the bare gemms, bare Spark jobs, PyTorch (if /usr/bin/python3 can import
# torch) and Spark MLlib's MLP. Prints one table and writes runs/bench-<timestamp>/ (bench.md, bench.json,
# table.csv). See README, "Performance".
#   jobs/bench.sh                  the full benchmark (10-20 minutes on 2 idle cores, much more when busy)
#   jobs/bench.sh --quick          a smoke run of a few minutes (figures not for quoting)
#   jobs/bench.sh --cluster 2x1,4x1,8x1   also on standalone clusters on 127.0.0.1 (workers x cores), side by side
#   jobs/bench.sh --help           all options (--skip-mllib, --skip-torch, --max-epochs N, ...)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar   # before the line below, so that its time is the benchmark's start, not the build's
# The clusters run Spark's daemons from target/spark-home/jars, which the pom's spark-home-jars execution fills.
if printf '%s\n' "$@" | grep -q '^--cluster$' && ! ls "$ROOT"/target/spark-home/jars/spark-core_* >/dev/null 2>&1; then
  (cd "$ROOT" && mvn -q -B dependency:copy-dependencies@spark-home-jars) >&2
fi
echo "bench: $(date -Is), /proc/loadavg: $(cat /proc/loadavg 2>/dev/null)" >&2
submit io.sparknn.bench.BenchJob "$@"
