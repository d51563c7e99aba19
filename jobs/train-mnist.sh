#!/usr/bin/env bash
# Trains a model on MNIST with Spark: jobs/train-mnist.sh [CONFIG] [key=value ...] [--set key=value] [--resume RUN_DIR]
# CONFIG defaults to conf/mnist-mlp.yaml (the homework's network on the embedded MNIST).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
config_args conf/mnist-mlp.yaml "$@"
submit io.sparknn.jobs.TrainJob "${ARGS[@]}"
