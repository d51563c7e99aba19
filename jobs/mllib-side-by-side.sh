#!/usr/bin/env bash
# MLlib's MultilayerPerceptronClassifier and sparknn's SparknnClassifier, the same Pipeline on the same cached
# Parquet DataFrame, fit time and test accuracy of each in one run (README, "Spark ML API").
#   jobs/mllib-side-by-side.sh                               the embedded MNIST, written as Parquet first
#   jobs/mllib-side-by-side.sh train=T.parquet test=V.parquet your Parquet (features: vector, label: double)
#   jobs/mllib-side-by-side.sh epochs=8 mllib_iter=50 layers=784,100,10
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar
echo "side-by-side: $(date -Is), /proc/loadavg: $(cat /proc/loadavg 2>/dev/null)" >&2
ARGS=()
for a in "$@"; do
  case "$a" in
    --*) ARGS+=("$a") ;;
    *=*) ARGS+=(--set "$a") ;;
    *) ARGS+=("$a") ;;
  esac
done
submit io.sparknn.bench.MllibSideBySide "${ARGS[@]}"
