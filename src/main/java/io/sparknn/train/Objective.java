package io.sparknn.train;

import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.Criterion;
import io.sparknn.nn.criterion.Reduction;
import io.sparknn.tensor.Matrix;

/**
 * A criterion together with what it compares the output with ({@link Target}): the one place that runs
 * forward → loss → backward for a batch, shared by the single-JVM and the Spark trainers and by evaluation.
 */
public final class Objective {
  private final Criterion criterion;
  private final Target target;

  public Objective(Criterion criterion, Target target) {
    this.criterion = criterion;
    this.target = target;
  }

  public Criterion criterion() {
    return criterion;
  }

  public Target target() {
    return target;
  }

  /**
   * Forward and backward of {@code model} on {@code x}: accumulates the gradients of the loss reduced as
   * {@code reduction} says (the mean, or the sum a partition returns) and returns that loss.
   */
  public double lossAndGradient(Sequential model, Matrix x, int[] labels, Reduction reduction) {
    Matrix out = model.forward(x);
    double loss;
    Matrix grad;
    if (target == Target.CLASSES) {
      loss = criterion.forward(out, labels, reduction);
      grad = criterion.backward(out, labels, reduction);
    } else {
      loss = criterion.forward(out, x, reduction);
      grad = criterion.backward(out, x, reduction);
    }
    model.backward(x, grad);
    return loss;
  }

  /** The loss of an output already computed for {@code x}, reduced over rows as asked. */
  public double loss(Matrix out, Matrix x, int[] labels, Reduction reduction) {
    return target == Target.CLASSES ? criterion.forward(out, labels, reduction) : criterion.forward(out, x, reduction);
  }
}
