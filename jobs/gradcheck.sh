#!/usr/bin/env bash
# Finite-difference gradient check of the model a training config describes, on a few real samples:
# jobs/gradcheck.sh CONFIG [--samples N] [--max-checks M] [key=value ...]   e.g. jobs/gradcheck.sh conf/mnist-best.yaml
# Prints the worst relative error per layer; exits 4 when any is above 1e-6.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ $# -lt 1 ]; then
  echo "usage: jobs/gradcheck.sh CONFIG [--samples N] [--max-checks M] [key=value ...]" >&2
  exit 2
fi
config_args conf/mnist-mlp.yaml "$@"
submit io.sparknn.experiments.GradientCheckTool "${ARGS[@]}"
