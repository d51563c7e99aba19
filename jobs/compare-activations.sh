#!/usr/bin/env bash
# ReLU, ELU, LeakyReLU and SoftPlus, each alone, with BatchMeanSubtraction and with BatchNormalization, on
# MNIST with the same architecture, seed, optimizer and budget; variants train concurrently in FAIR pools:
# jobs/compare-activations.sh [CONFIG] [key=value ...]   (CONFIG defaults to conf/compare-activations.yaml)
# Leaves runs/<timestamp>-compare-activations/ with results.csv/.md, timing.csv/.md, validation-accuracy.png.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# FAIR scheduling lets the concurrent variants share the executors evenly (Spark's default is FIFO).
export SPARKNN_SUBMIT_ARGS="${SPARKNN_SUBMIT_ARGS:-} --conf spark.scheduler.mode=FAIR"
config_args conf/compare-activations.yaml "$@"
submit io.sparknn.experiments.ActivationComparison "${ARGS[@]}"
