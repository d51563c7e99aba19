package io.sparknn.train;

import io.sparknn.data.Dataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.Reduction;
import io.sparknn.tensor.Matrix;

/**
 * Runs a model in evaluation mode over a data set in chunks and sums loss, hits and the confusion matrix:
 * the per-partition work of distributed evaluation, and all of it in one JVM. Restores the model's mode.
 */
public final class Evaluator {
  private static final int CHUNK = 1000;

  private Evaluator() {}

  /** Evaluates {@code model} on all of {@code data}, summing the loss over rows so that partitions add up. */
  public static Evaluation evaluate(Sequential model, Objective objective, Dataset data) {
    boolean wasTraining = model.isTraining();
    model.evaluate();
    try {
      boolean classify = objective.target() == Target.CLASSES && data.hasLabels();
      int classes = classify ? data.classes() : 0;
      long[][] confusion = new long[classes][classes];
      int[] labels = new int[Math.min(CHUNK, Math.max(1, data.rows()))];
      Matrix x = null;
      Matrix values = null;
      double lossSum = 0;
      long correct = 0;
      for (int from = 0; from < data.rows(); from += CHUNK) {
        int to = Math.min(data.rows(), from + CHUNK);
        x = Matrix.reuse(x, to - from, data.cols());
        data.gatherRange(from, to, x, data.hasLabels() ? labels : null, 0);
        if (data.hasTargets()) {
          values = Matrix.reuse(values, to - from, data.targetCols());
          data.gatherTargets(rangeIndex(from, to), 0, to - from, values);
        }
        Matrix out = model.forward(x);
        lossSum += objective.loss(out, x, labels, values, Reduction.SUM);
        if (classify) {
          for (int r = 0; r < out.rows(); r++) {
            int predicted = argmax(out, r);
            confusion[labels[r]][predicted]++;
            correct += predicted == labels[r] ? 1 : 0;
          }
        }
      }
      return new Evaluation(lossSum, data.rows(), correct, confusion);
    } finally {
      if (wasTraining) {
        model.training();
      }
    }
  }

  private static int[] rangeIndex(int from, int to) {
    int[] index = new int[to - from];
    for (int i = 0; i < index.length; i++) {
      index[i] = from + i;
    }
    return index;
  }

  static int argmax(Matrix out, int row) {
    double[] d = out.data();
    int base = out.offset() + row * out.cols();
    int best = 0;
    for (int c = 1; c < out.cols(); c++) {
      if (d[base + c] > d[base + best]) {
        best = c;
      }
    }
    return best;
  }
}
