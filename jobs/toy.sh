#!/usr/bin/env bash
# The homework's toy problem on Spark (two Gaussian blobs; logistic regression and the 2-4-2 ReLU net):
# jobs/toy.sh [CONFIG] [key=value ...]   (CONFIG defaults to conf/toy.yaml)
# Leaves runs/<timestamp>-toy/ with results.csv/.md, loss.png and one boundary-*.png per model.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
config_args conf/toy.yaml "$@"
submit io.sparknn.experiments.ToyExperiment "${ARGS[@]}"
