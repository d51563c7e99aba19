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
    return lossAndGradient(model, x, labels, null, reduction);
  }

  /** As above, comparing with {@code values} (the batch's real-valued targets) when the target is VALUES. */
  public double lossAndGradient(Sequential model, Matrix x, int[] labels, Matrix values, Reduction reduction) {
    Matrix out = model.forward(x);
    double loss;
    Matrix grad;
    if (target == Target.CLASSES) {
      loss = criterion.forward(out, labels, reduction);
      grad = criterion.backward(out, labels, reduction);
    } else {
      Matrix t = compared(x, values);
      loss = criterion.forward(out, t, reduction);
      grad = criterion.backward(out, t, reduction);
    }
    model.backward(x, grad);
    return loss;
  }

  /** The loss of an output already computed for {@code x}, reduced over rows as asked. */
  public double loss(Matrix out, Matrix x, int[] labels, Reduction reduction) {
    return loss(out, x, labels, null, reduction);
  }

  /** As above, with the batch's real-valued targets {@code values} for a VALUES target. */
  public double loss(Matrix out, Matrix x, int[] labels, Matrix values, Reduction reduction) {
    return target == Target.CLASSES ? criterion.forward(out, labels, reduction)
        : criterion.forward(out, compared(x, values), reduction);
  }

  private Matrix compared(Matrix x, Matrix values) {
    if (target == Target.INPUT) {
      return x;
    }
    if (values == null) {
      throw new IllegalStateException("the target is real values, but the batch has none");
    }
    return values;
  }
}
