#!/usr/bin/env bash
# The deep autoencoder on MNIST, its codes, a logistic regression on them, fine-tuning, training from scratch,
# and PCA as the linear baseline: jobs/autoencoder.sh [CONFIG] [key=value ...]
# (CONFIG defaults to conf/autoencoder.yaml). Leaves runs/<timestamp>-autoencoder/ with probes,
# reconstruction and classification tables (.csv/.md), loss.png and digits.png.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
config_args conf/autoencoder.yaml "$@"
submit io.sparknn.experiments.AutoencoderExperiment "${ARGS[@]}"
