package io.sparknn.train;

/**
 * Everything a run needs to continue bit-identically: the position in the schedule, the flat weights and
 * running statistics, and the optimizer's flat state.
 *
 * @param epoch current epoch (0-based)
 * @param step next step within the epoch
 * @param weights flat parameters
 * @param state flat running statistics
 * @param optimizerState the optimizer's {@code state()}
 */
public record TrainingState(int epoch, int step, double[] weights, double[] state, double[] optimizerState) {

  /** Copies the position, weights, running statistics and optimizer state of a trainer. */
  public static TrainingState capture(EpochLoop loop, io.sparknn.nn.Sequential model, io.sparknn.optim.Optimizer opt) {
    return new TrainingState(loop.epoch(), loop.step(), model.parameters().clone(), model.state().clone(),
        opt.state());
  }

  /** Puts this state into a trainer's loop, model and optimizer, after checking the sizes match. */
  public void restoreInto(EpochLoop loop, io.sparknn.nn.Sequential model, io.sparknn.optim.Optimizer opt) {
    if (weights.length != model.parameters().length || state.length != model.state().length) {
      throw new IllegalArgumentException("the saved state holds " + weights.length + " weights and "
          + state.length + " state values; the model has " + model.parameters().length + " and "
          + model.state().length);
    }
    System.arraycopy(weights, 0, model.parameters(), 0, weights.length);
    System.arraycopy(state, 0, model.state(), 0, state.length);
    opt.restore(optimizerState);
    loop.moveTo(epoch, step);
  }
}
