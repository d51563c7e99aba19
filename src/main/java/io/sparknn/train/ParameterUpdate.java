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

  /**
   * With local steps ({@link TrainingOptions#localSteps}) the driver steps with a round's mean displacement, not a
   * gradient: each local step was clipped on its partition, so the driver clips nothing.
   *
   * @throws IllegalArgumentException with local steps and an optimizer other than SGD with momentum and no weight
   *     decay: only SGD's rule turns the displacement back into itself (Adam would rescale it; weight decay would
   *     apply once a round)
   */
  public ParameterUpdate(Optimizer optimizer, TrainingOptions options) {
    if (options.localSteps() > 1 && !(optimizer instanceof SgdMomentum s && s.weightDecay() == 0)) {
      throw new IllegalArgumentException("local steps (" + options.localSteps() + ") need SGD with momentum and "
          + "no weight decay on the driver, got " + optimizer);
    }
    this.optimizer = optimizer;
    this.schedule = options.schedule();
    this.baseRate = options.learningRate();
    this.clipNorm = options.localSteps() > 1 ? 0 : options.clipNorm();
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
    optimizer.step(weights, meanGradient, rate(epoch, iteration));
  }

  public Optimizer optimizer() {
    return optimizer;
  }
}
