package io.sparknn.train;

/**
 * When a run counts as diverged, checked by both trainers' loop: every iteration's loss and gradient norm must
 * be finite, and every epoch's mean training loss must stay below twice the loss of the run's first iteration
 * (the untrained model's). Past that a run has not learned: with probabilities clamped by ClassNLL a too-large
 * step saturates the SoftMax, whose gradient is then exactly zero while the loss sits near 31 (chance is 2.3 on
 * ten classes), so nothing would ever end it. A healthy run, however slow, stays near or below its start. The
 * second rule is off when the first iteration's loss is unknown (a run resumed from a checkpoint that did not
 * record it) or not positive.
 */
final class DivergenceRule {
  static final String FINITE = "an iteration's loss and gradient norm must be finite";
  static final double RISE = 2.0;
  static final String EPOCH_LOSS = "an epoch's mean training loss must stay below " + RISE
      + " x the first iteration's loss";

  private DivergenceRule() {}

  /** Throws when the loss or the gradient norm of {@code iteration} is not finite. */
  static void checkIteration(long iteration, int epoch, double loss, double gradNorm) {
    if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
      throw new TrainingDivergedException(iteration, epoch, loss, gradNorm);
    }
  }

  /** Throws when epoch {@code epoch} (0-based), ending at {@code lastIteration}, broke the epoch rule. */
  static void checkEpoch(long lastIteration, int epoch, double epochLoss, double firstLoss) {
    if (!Double.isFinite(epochLoss)) {
      throw new TrainingDivergedException(lastIteration, epoch, epochLoss, Double.NaN);
    }
    if (firstLoss > 0 && Double.isFinite(firstLoss) && epochLoss >= RISE * firstLoss) {
      throw new TrainingDivergedException(String.format(
          "training diverged at iteration %d (epoch %d): the epoch's mean training loss %.4g is %.1f x the first "
              + "iteration's %.4g, so the run has stopped learning (its outputs have saturated)",
          lastIteration, epoch + 1, epochLoss, epochLoss / firstLoss, firstLoss), EPOCH_LOSS, lastIteration);
    }
  }
}
