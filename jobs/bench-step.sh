#!/usr/bin/env bash
# One training step of the homework's MLP in one JVM against the bare gemms at the same shapes (no Spark):
# jobs/bench-step.sh [--float32-first] [BATCH ...]   (default: 128 1024). Prints a Markdown table.
# jobs/bench-step.sh --cnn [BATCH ...]   (default: 64): conf/mnist-cnn.yaml's CNN in float64 and float32 against its
# gemms and PyTorch's same step (bench/pytorch_cnn_step.py, same thread count: OPENBLAS_NUM_THREADS, default 1).
# --float32-first: the first Linear computes in float32 (the gemm columns stay float64, the reference).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar
ensure_classpath
if [ "${1:-}" = "--cnn" ]; then
  export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
fi
exec java -Xmx2g "${JAVA_FLAGS[@]}" -cp "$JAR:$CLASSPATH_DEPS" io.sparknn.bench.StepBenchmark "$@"
