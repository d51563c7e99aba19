package io.sparknn.nn;

import io.sparknn.nn.criterion.Criterion;
import io.sparknn.nn.criterion.Reduction;
import io.sparknn.tensor.Matrix;
import java.util.SplittableRandom;

/**
 * Checks a module's or a criterion's analytic gradients against central finite differences, in float64.
 *
 * <p>For a module the scalar checked is {@code L = Σ output ⊙ R} for a fixed random {@code R}, so
 * {@code gradOutput = R} exercises every output. The module is reseeded with the same seed before every
 * forward, so stochastic modules (Dropout) are checked with one fixed mask instead of being refused. The
 * error of one element is DL4J's {@code |a − n| / (|a| + |n|)}; an element whose absolute difference is below
 * {@link #ABSOLUTE_FLOOR} counts as exact (its relative error is reported as 0), since finite differences
 * cannot resolve gradients at the rounding level.
 */
public final class GradientChecker {
  /** Step of the central differences. */
  public static final double STEP = 1e-5;
  /** Absolute differences below this are rounding noise, not errors. */
  public static final double ABSOLUTE_FLOOR = 1e-8;
  private static final long MASK_SEED = 0x6AD;

  private GradientChecker() {}

  /** The worst errors found, with the flat index where each occurred ({@code -1}: nothing checked). */
  public record Result(double inputError, int worstInput, double parameterError, int worstParameter) {
    public double worst() {
      return Math.max(inputError, parameterError);
    }
  }

  /**
   * Checks d L / d input and d L / d parameters of {@code module} at {@code input} (in the module's current
   * mode), where {@code L = Σ output ⊙ R} with {@code R} drawn from {@code seed}. Leaves the parameters as
   * they were.
   */
  public static Result check(Module module, Matrix input, long seed) {
    Matrix x = input.copy();
    module.reseed(MASK_SEED);
    Matrix out = module.forward(x);
    Matrix r = new Matrix(out.rows(), out.cols());
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < r.size(); i++) {
      r.data()[i] = rng.nextDouble(-1, 1);
    }
    module.zeroGradParameters();
    Matrix analyticInput = module.backward(x, r).copy();
    int p0 = module.parameterOffset();
    int n = module.parameterCount();
    double[] analyticParams = java.util.Arrays.copyOfRange(module.gradParameters(), p0, p0 + n);

    double worstIn = 0;
    int worstInIdx = -1;
    double[] xd = x.data();
    for (int i = 0; i < x.size(); i++) {
      double saved = xd[i];
      xd[i] = saved + STEP;
      double plus = projected(module, x, r);
      xd[i] = saved - STEP;
      double minus = projected(module, x, r);
      xd[i] = saved;
      double e = error(analyticInput.data()[i], (plus - minus) / (2 * STEP));
      if (worstInIdx < 0 || e > worstIn) {
        worstIn = e;
        worstInIdx = i;
      }
    }
    double worstP = 0;
    int worstPIdx = -1;
    double[] w = module.parameters();
    for (int i = 0; i < n; i++) {
      double saved = w[p0 + i];
      w[p0 + i] = saved + STEP;
      double plus = projected(module, x, r);
      w[p0 + i] = saved - STEP;
      double minus = projected(module, x, r);
      w[p0 + i] = saved;
      double e = error(analyticParams[i], (plus - minus) / (2 * STEP));
      if (worstPIdx < 0 || e > worstP) {
        worstP = e;
        worstPIdx = i;
      }
    }
    return new Result(worstIn, worstInIdx, worstP, worstPIdx);
  }

  /** Checks d loss / d input of {@code criterion}'s mean loss at {@code input} against {@code target}. */
  public static Result check(Criterion criterion, Matrix input, Matrix target) {
    return check(criterion, Reduction.MEAN, input, target);
  }

  /** Checks d loss / d input of {@code criterion} at {@code input} against {@code target}, reduced as asked. */
  public static Result check(Criterion criterion, Reduction reduction, Matrix input, Matrix target) {
    Matrix x = input.copy();
    criterion.forward(x, target, reduction);
    Matrix analytic = criterion.backward(x, target, reduction).copy();
    double worst = 0;
    int worstIdx = -1;
    double[] xd = x.data();
    for (int i = 0; i < x.size(); i++) {
      double saved = xd[i];
      xd[i] = saved + STEP;
      double plus = criterion.forward(x, target, reduction);
      xd[i] = saved - STEP;
      double minus = criterion.forward(x, target, reduction);
      xd[i] = saved;
      double e = error(analytic.data()[i], (plus - minus) / (2 * STEP));
      if (worstIdx < 0 || e > worst) {
        worst = e;
        worstIdx = i;
      }
    }
    return new Result(worst, worstIdx, 0, -1);
  }

  private static double projected(Module module, Matrix x, Matrix r) {
    module.reseed(MASK_SEED);
    Matrix out = module.forward(x);
    double sum = 0;
    for (int i = 0; i < out.size(); i++) {
      sum += out.data()[out.offset() + i] * r.data()[i];
    }
    return sum;
  }

  /** DL4J's relative error with an absolute floor; NaN anywhere is an infinite error. */
  public static double error(double analytic, double numeric) {
    if (Double.isNaN(analytic) || Double.isNaN(numeric)) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = Math.abs(analytic - numeric);
    if (diff < ABSOLUTE_FLOOR) {
      return 0.0;
    }
    return diff / (Math.abs(analytic) + Math.abs(numeric));
  }
}
