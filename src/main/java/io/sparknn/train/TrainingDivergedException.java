package io.sparknn.train;

/**
 * Thrown when the loss or the gradient of an iteration is NaN or infinite: training stops there rather than
 * running on with garbage, and the message names the iteration and the last good checkpoint, if any.
 */
public final class TrainingDivergedException extends RuntimeException {
  private final long iteration;

  public TrainingDivergedException(long iteration, int epoch, double loss, double gradNorm) {
    super("training diverged at iteration " + iteration + " (epoch " + (epoch + 1) + "): loss " + loss
        + ", gradient norm " + gradNorm + "; lower the learning rate or set optimizer.clip_norm");
    this.iteration = iteration;
  }

  private TrainingDivergedException(String message, long iteration, Throwable cause) {
    super(message, cause);
    this.iteration = iteration;
  }

  /** The same error, with where to resume from added to the message. */
  public TrainingDivergedException withCheckpoint(String checkpoint) {
    return new TrainingDivergedException(getMessage() + "; last good checkpoint: "
        + (checkpoint == null ? "none written yet" : checkpoint), iteration, this);
  }

  public long iteration() {
    return iteration;
  }
}
