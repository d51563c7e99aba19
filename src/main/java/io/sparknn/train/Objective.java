package io.sparknn.train;

import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.Criterion;
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
   * Forward and backward of {@code model} on {@code x}: accumulates the parameter gradients and returns the
   * loss (averaged or summed as the criterion's {@code sizeAverage} says).
   */
  public double lossAndGradient(Sequential model, Matrix x, int[] labels) {
    Matrix out = model.forward(x);
    double loss;
    Matrix grad;
    if (target == Target.CLASSES) {
      loss = criterion.forward(out, labels);
      grad = criterion.backward(out, labels);
    } else {
      loss = criterion.forward(out, x);
      grad = criterion.backward(out, x);
    }
    model.backward(x, grad);
    return loss;
  }

  /** The loss of an output already computed for {@code x}. */
  public double loss(Matrix out, Matrix x, int[] labels) {
    return target == Target.CLASSES ? criterion.forward(out, labels) : criterion.forward(out, x);
  }
}
