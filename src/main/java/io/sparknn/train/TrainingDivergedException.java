package io.sparknn.train;

/**
 * Thrown when a run breaks one of the rules of {@link DivergenceRule}: an iteration's loss or gradient is NaN
 * or infinite, or an epoch's training loss has risen to twice the untrained model's. Training stops there
 * rather than running on with garbage, and the message names the rule, the iteration and the last good
 * checkpoint, if any.
 */
public final class TrainingDivergedException extends RuntimeException {
  private final long iteration;
  private final String rule;

  /** The loss or the gradient norm of {@code iteration} is not finite. */
  public TrainingDivergedException(long iteration, int epoch, double loss, double gradNorm) {
    this("training diverged at iteration " + iteration + " (epoch " + (epoch + 1) + "): loss " + loss
        + ", gradient norm " + gradNorm, DivergenceRule.FINITE, iteration);
  }

  TrainingDivergedException(String message, String rule, long iteration) {
    this(message + " (rule: " + rule + "); lower the learning rate or set optimizer.clip_norm", rule, iteration,
        null);
  }

  private TrainingDivergedException(String message, String rule, long iteration, Throwable cause) {
    super(message, cause);
    this.iteration = iteration;
    this.rule = rule;
  }

  /** The same error, with where to resume from added to the message. */
  public TrainingDivergedException withCheckpoint(String checkpoint) {
    return new TrainingDivergedException(getMessage() + "; last good checkpoint: "
        + (checkpoint == null ? "none written yet" : checkpoint), rule, iteration, this);
  }

  public long iteration() {
    return iteration;
  }

  /** The rule of {@link DivergenceRule} the run broke, in words. */
  public String rule() {
    return rule;
  }
}
