#!/usr/bin/env bash
# Runs a hyperparameter sweep with Spark: jobs/sweep.sh [SWEEP.yaml] [key=value ...] [--set key=value]
# SWEEP.yaml defaults to conf/sweep-mnist.yaml; key=value overrides keys of the sweep file (mode=distributed,
# parallelism=2, budget.epochs=3, search.trials=9, output.dir=...). Running the same command again resumes an
# interrupted sweep; a finished sweep's directory is never written over.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
config_args conf/sweep-mnist.yaml "$@"
submit io.sparknn.sweep.SweepJob "${ARGS[@]}"
