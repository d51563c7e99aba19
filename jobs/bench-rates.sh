#!/usr/bin/env bash
# Iterations the homework's MLP needs to reach 97% test accuracy under each plan BATCH@LR[/WARMUP_EPOCHS], in one JVM
# without Spark (no clock: the answer depends on the plan and seed only). Prints a Markdown table.
#   jobs/bench-rates.sh 128@0.1 512@0.2/0.5 1024@0.4/1        [--target 0.98] [--max-epochs 20]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar
ensure_classpath
exec java -Xmx2g "${JAVA_FLAGS[@]}" -cp "$JAR:$CLASSPATH_DEPS" io.sparknn.bench.IterationsToTarget "$@"
