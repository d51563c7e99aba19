#!/usr/bin/env bash
# Evaluates a saved model: jobs/evaluate.sh MODEL_DIR [IDX_IMAGES IDX_LABELS]
# (default data: the embedded MNIST test set). Prints loss, accuracy and the confusion matrix.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
submit io.sparknn.jobs.EvaluateJob "$@"
