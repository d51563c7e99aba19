package io.sparknn.train;

/**
 * What one epoch of training produced, as {@code metrics.jsonl} records it.
 *
 * @param epoch 1-based epoch number
 * @param iterations global iterations done so far
 * @param trainLoss mean training loss over the epoch's mini-batches (weighted by rows)
 * @param validation validation evaluation, or null when there is no validation set
 * @param samplesPerSec training samples per second during this epoch (evaluation excluded)
 * @param elapsedSec seconds since training started (evaluation included)
 * @param learningRate learning rate at the epoch's last iteration
 */
public record EpochMetrics(int epoch, long iterations, double trainLoss, Evaluation validation,
    double samplesPerSec, double elapsedSec, double learningRate) {
}
