package io.sparknn.train;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparknn.nn.Sequential;
import io.sparknn.optim.Optimizer;
import java.io.Serializable;

/**
 * Everything a run needs to continue bit-identically: the position in the schedule, the flat weights and
 * running statistics, the optimizer's flat state, the current epoch's running loss sum and the first loss.
 * Serializable, so that a Spark task can return it and a broadcast can carry it (a sweep's trial continues from
 * one rung on another executor).
 *
 * @param epoch current epoch (0-based)
 * @param step next step within the epoch
 * @param weights flat parameters
 * @param state flat running statistics
 * @param optimizerState the optimizer's {@code state()}
 * @param epochLossSum the current epoch's loss summed over the rows trained so far (0 at an epoch's start)
 * @param epochLossRows rows those losses cover, so a resumed epoch reports the mean over all of them
 * @param firstLoss the loss of the run's first iteration, the reference of {@link DivergenceRule} (NaN if
 *     unknown)
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
public record TrainingState(int epoch, int step, double[] weights, double[] state, double[] optimizerState,
    double epochLossSum, long epochLossRows, double firstLoss) implements Serializable {

  /** Copies the position, weights, running statistics and optimizer state of a trainer. */
  public static TrainingState capture(EpochLoop loop, Sequential model, Optimizer opt) {
    return new TrainingState(loop.epoch(), loop.step(), model.parameters().clone(), model.state().clone(),
        opt.state(), loop.lossSum(), loop.lossRows(), loop.firstLoss());
  }

  /** Puts this state into a trainer's loop, model and optimizer, after checking the sizes match. */
  public void restoreInto(EpochLoop loop, Sequential model, Optimizer opt) {
    if (weights.length != model.parameters().length || state.length != model.state().length) {
      throw new IllegalArgumentException("the saved state holds " + weights.length + " weights and "
          + state.length + " state values; the model has " + model.parameters().length + " and "
          + model.state().length);
    }
    System.arraycopy(weights, 0, model.parameters(), 0, weights.length);
    System.arraycopy(state, 0, model.state(), 0, state.length);
    opt.restore(optimizerState);
    loop.restore(epoch, step, epochLossSum, epochLossRows, firstLoss);
  }
}
