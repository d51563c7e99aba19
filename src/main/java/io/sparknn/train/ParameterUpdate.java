package io.sparknn.train;

import io.sparknn.optim.GradientClipping;
import io.sparknn.optim.LearningRateSchedule;
import io.sparknn.optim.Optimizer;
import io.sparknn.optim.SgdMomentum;

/**
 * The driver's half of an iteration, the same in both trainers: check the mean gradient and loss are finite,
 * clip the gradient if asked, take the scheduled learning rate, and step the optimizer over the flat weights.
 */
public final class ParameterUpdate {
  private final Optimizer optimizer;
  private final LearningRateSchedule schedule;
  private final double baseRate;
  private final double clipNorm;
  private final boolean local;
  private final TrainingOptions taskOptions;

  /**
   * With local steps ({@link TrainingOptions#localSteps}) the driver steps with a round's mean displacement, not a
   * gradient: each local step was clipped on its partition and decayed its weights there by the SGD's weight decay
   * ({@link #taskOptions}), so the driver clips nothing and steps undecayed.
   *
   * @throws IllegalArgumentException with local steps and an optimizer other than SGD with momentum: only SGD's
   *     rule turns the displacement back into itself (Adam would rescale it)
   */
  public ParameterUpdate(Optimizer optimizer, TrainingOptions options) {
    if (options.localSteps() > 1 && !(optimizer instanceof SgdMomentum)) {
      throw new IllegalArgumentException("local steps (" + options.localSteps() + ") need SGD with momentum on the "
          + "driver, got " + optimizer);
    }
    this.optimizer = optimizer;
    this.schedule = options.schedule();
    this.baseRate = options.learningRate();
    this.local = options.localSteps() > 1;
    this.clipNorm = local ? 0 : options.clipNorm();
    this.taskOptions = local ? options.withLocalWeightDecay(((SgdMomentum) optimizer).weightDecay()) : options;
  }

  /**
   * The options the partitions compute with: {@code options}, with local steps carrying the SGD's weight decay to
   * each local step.
   */
  public TrainingOptions taskOptions() {
    return taskOptions;
  }

  /** The learning rate used at ({@code epoch}, {@code iteration}). */
  double rate(int epoch, long iteration) {
    return schedule.rate(baseRate, epoch, iteration);
  }

  /**
   * Applies one step; {@code meanGradient} may be scaled in place by clipping.
   *
   * @throws TrainingDivergedException when the loss or the gradient is not finite ({@link DivergenceRule})
   */
  public void apply(double[] weights, double[] meanGradient, double meanLoss, int epoch, long iteration) {
    double norm = GradientClipping.clip(meanGradient, clipNorm);
    DivergenceRule.checkIteration(iteration, epoch, meanLoss, norm);
    if (local) {
      ((SgdMomentum) optimizer).stepUndecayed(weights, meanGradient, rate(epoch, iteration));
    } else {
      optimizer.step(weights, meanGradient, rate(epoch, iteration));
    }
  }

  public Optimizer optimizer() {
    return optimizer;
  }
}
