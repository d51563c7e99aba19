#!/usr/bin/env bash
# Writes IDX data as Parquet for data.format parquet: jobs/convert.sh OUT [MNIST_DIR | IMAGES LABELS]
# [--set features=vector|array] [--set partitions=N]. With no input, the embedded MNIST -> OUT/train, OUT/test.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
submit io.sparknn.jobs.ConvertJob "$@"
