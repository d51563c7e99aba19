package io.sparknn.experiments;

import io.sparknn.nn.GradientChecker;
import io.sparknn.nn.Module;
import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link GradientChecker}'s check, limited to at most {@code maxChecks} input elements and {@code maxChecks}
 * parameters chosen at random (all of them when there are fewer), as DL4J's checker can do: a full check of
 * {@code Linear 784 -> 800} would take two forward passes for each of its 628,000 weights. The scalar is the
 * same {@code L = Σ output ⊙ R} with a seeded {@code R}; stochastic modules are reseeded identically before
 * every forward, so a Dropout mask stays fixed; the error of one element is {@code |a − n| / (|a| + |n|)},
 * counted as 0 when {@code |a − n| <} {@link GradientChecker#ABSOLUTE_FLOOR}, with the same step
 * {@link GradientChecker#STEP}. Leaves the parameters as they were.
 */
public final class SampledGradientCheck {
  private static final long MASK_SEED = 0x5A3;

  private SampledGradientCheck() {}

  /**
   * The worst errors found and how many elements were checked.
   *
   * @param inputError worst relative error of d L / d input
   * @param parameterError worst relative error of d L / d parameters (0 without parameters)
   * @param inputsChecked input elements checked
   * @param parametersChecked parameters checked
   * @param maxAbsoluteDifference largest {@code |a − n|} over everything checked (what the floor hides)
   */
  public record Result(double inputError, double parameterError, int inputsChecked, int parametersChecked,
      double maxAbsoluteDifference) {
    public double worst() {
      return Math.max(inputError, parameterError);
    }
  }

  /** Checks {@code module} at {@code input} (in its current mode) on at most {@code maxChecks} of each kind. */
  public static Result check(Module module, Matrix input, long seed, int maxChecks) {
    Matrix x = input.copy();
    module.reseed(MASK_SEED);
    Matrix out = module.forward(x);
    Matrix r = new Matrix(out.rows(), out.cols());
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < r.size(); i++) {
      r.data()[i] = rng.nextDouble(-1, 1);
    }
    module.zeroGradParameters();
    double[] analyticInput = module.backward(x, r).toArray();
    int p0 = module.parameterOffset();
    int n = module.parameterCount();
    double[] analyticParams = Arrays.copyOfRange(module.gradParameters(), p0, p0 + n);

    int[] inputs = choose(x.size(), maxChecks, rng);
    double worstIn = 0;
    double maxDiff = 0;
    for (int i : inputs) {
      double num = numeric(module, x, r, x.data(), x.offset() + i);
      worstIn = Math.max(worstIn, error(analyticInput[i], num));
      maxDiff = Math.max(maxDiff, Math.abs(analyticInput[i] - num));
    }
    int[] params = choose(n, maxChecks, rng);
    double worstP = 0;
    for (int i : params) {
      double num = numeric(module, x, r, module.parameters(), p0 + i);
      worstP = Math.max(worstP, error(analyticParams[i], num));
      maxDiff = Math.max(maxDiff, Math.abs(analyticParams[i] - num));
    }
    return new Result(worstIn, worstP, inputs.length, params.length, maxDiff);
  }

  /** Central difference of {@code L} in {@code values[index]}, restoring the value. */
  private static double numeric(Module module, Matrix x, Matrix r, double[] values, int index) {
    double saved = values[index];
    values[index] = saved + GradientChecker.STEP;
    double plus = projected(module, x, r);
    values[index] = saved - GradientChecker.STEP;
    double minus = projected(module, x, r);
    values[index] = saved;
    return (plus - minus) / (2 * GradientChecker.STEP);
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

  /** All of {@code [0, n)} when {@code n <= max}, else {@code max} distinct indices drawn from {@code rng}. */
  static int[] choose(int n, int max, SplittableRandom rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    if (n <= max) {
      return all;
    }
    // Partial Fisher–Yates: the first max entries are a uniform sample without repeats.
    for (int i = 0; i < max; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return Arrays.copyOf(all, max);
  }

  /** The error rule of {@link GradientChecker#error}, the one place it is defined. */
  static double error(double analytic, double numeric) {
    return GradientChecker.error(analytic, numeric);
  }
}
