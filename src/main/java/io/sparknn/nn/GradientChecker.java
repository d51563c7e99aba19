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
 * cannot resolve gradients at the rounding level. A wide layer can be checked on a random sample of its
 * elements ({@link #check(Module, Matrix, long, int)}, what {@code jobs/gradcheck.sh} does); the test kit's
 * {@code ModuleAssertions} turns a check into an assertion.
 */
public final class GradientChecker {
  /** Step of the central differences. */
  public static final double STEP = 1e-5;
  /** Absolute differences below this are rounding noise, not errors. */
  public static final double ABSOLUTE_FLOOR = 1e-8;
  private static final long MASK_SEED = 0x6AD;

  private GradientChecker() {}

  /**
   * One checked element: its flat index ({@code -1}: nothing was checked), the analytic and the numeric
   * derivative there, and their relative error.
   */
  public record Entry(int index, double analytic, double numeric, double error) {
    static final Entry NONE = new Entry(-1, 0, 0, 0);

    /** The worse of this entry and the element {@code index}, whose derivatives are given. */
    Entry worse(int index, double analytic, double numeric) {
      double e = GradientChecker.error(analytic, numeric);
      return this.index < 0 || e > error ? new Entry(index, analytic, numeric, e) : this;
    }
  }

  /**
   * The worst input element and the worst parameter found, each with its derivatives; how many of each were
   * checked; and the largest {@code |a − n|} over everything checked (what {@link #ABSOLUTE_FLOOR} hides).
   */
  public record Result(Entry input, Entry parameter, int inputsChecked, int parametersChecked,
      double maxAbsoluteDifference, int kinksSkipped) {
    Result(Entry input, Entry parameter, int inputsChecked, int parametersChecked, double maxAbsoluteDifference) {
      this(input, parameter, inputsChecked, parametersChecked, maxAbsoluteDifference, 0);
    }

    public double inputError() {
      return input.error();
    }

    /** Flat index of the worst input element ({@code -1}: none checked). */
    public int worstInput() {
      return input.index();
    }

    public double parameterError() {
      return parameter.error();
    }

    /** Index of the worst parameter within the module's own parameters ({@code -1}: none checked). */
    public int worstParameter() {
      return parameter.index();
    }

    public double worst() {
      return Math.max(inputError(), parameterError());
    }
  }

  /**
   * Checks d L / d input and d L / d parameters of {@code module} at {@code input} (in the module's current
   * mode), where {@code L = Σ output ⊙ R} with {@code R} drawn from {@code seed}. Leaves the parameters as
   * they were.
   */
  public static Result check(Module module, Matrix input, long seed) {
    return check(module, input, seed, Integer.MAX_VALUE);
  }

  /**
   * As {@link #check(Module, Matrix, long)}, on at most {@code maxChecks} input elements and {@code maxChecks}
   * parameters, drawn at random after {@code R} when there are more (as DL4J's checker can do: a full check of
   * {@code Linear 784 -> 800} would take two forward passes for each of its 628,000 weights).
   */
  public static Result check(Module module, Matrix input, long seed, int maxChecks) {
    return check(module, input, seed, maxChecks, false);
  }

  /**
   * As {@link #check(Module, Matrix, long, int)}; with {@code skipKinks}, an element where {@code L} has a kink
   * within one step (its one-sided differences disagree by more than {@link #KINK} of their size, or its central
   * difference changes when the step shrinks to a quarter) is left out
   * and counted in {@link Result#kinksSkipped()}: there the function has no derivative to compare with. On real
   * data max pooling meets such points everywhere (equal values in a window, as in an image's blank background),
   * which random test inputs avoid.
   */
  public static Result check(Module module, Matrix input, long seed, int maxChecks, boolean skipKinks) {
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
    double[] analyticParams = java.util.Arrays.copyOfRange(module.gradParameters(), p0, p0 + n);

    double maxDiff = 0;
    double base = skipKinks ? projected(module, x, r) : Double.NaN;
    int kinks = 0;
    int inputKinks = 0;
    int[] inputs = sample(x.size(), maxChecks, rng);
    Entry worstIn = Entry.NONE;
    for (int i : inputs) {
      double numeric = numeric(module, x, r, x.data(), x.offset() + i, base);
      if (Double.isInfinite(numeric)) {
        inputKinks++;
        continue;
      }
      worstIn = worstIn.worse(i, analyticInput[i], numeric);
      maxDiff = Math.max(maxDiff, Math.abs(analyticInput[i] - numeric));
    }
    int[] params = sample(n, maxChecks, rng);
    Entry worstP = Entry.NONE;
    for (int i : params) {
      double numeric = numeric(module, x, r, module.parameters(), p0 + i, base);
      if (Double.isInfinite(numeric)) {
        kinks++;
        continue;
      }
      worstP = worstP.worse(i, analyticParams[i], numeric);
      maxDiff = Math.max(maxDiff, Math.abs(analyticParams[i] - numeric));
    }
    return new Result(worstIn, worstP, inputs.length - inputKinks, params.length - kinks, maxDiff,
        inputKinks + kinks);
  }

  /** Relative disagreement of the two one-sided differences above which an element is taken to be at a kink. */
  public static final double KINK = 1e-2;

  /**
   * All of {@code [0, n)} in order when {@code n <= max}, else {@code max} distinct indices drawn from
   * {@code rng}.
   */
  public static int[] sample(int n, int max, SplittableRandom rng) {
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
    return java.util.Arrays.copyOf(all, max);
  }

  /**
   * Central difference of {@code L} in {@code values[index]}, restoring the value; with {@code base} (L there, or
   * NaN: no kink test) an infinity when the one-sided differences say {@code L} has a kink within the step.
   */
  private static double numeric(Module module, Matrix x, Matrix r, double[] values, int index, double base) {
    double saved = values[index];
    values[index] = saved + STEP;
    double plus = projected(module, x, r);
    values[index] = saved - STEP;
    double minus = projected(module, x, r);
    values[index] = saved;
    double central = (plus - minus) / (2 * STEP);
    if (!Double.isNaN(base)) {
      // A kink shows as one-sided differences that disagree, or one just inside the step as a central
      // difference that changes with the step; on a smooth function both agree to rounding.
      double right = (plus - base) / STEP;
      double left = (base - minus) / STEP;
      values[index] = saved + STEP / 4;
      double plusQuarter = projected(module, x, r);
      values[index] = saved - STEP / 4;
      double minusQuarter = projected(module, x, r);
      values[index] = saved;
      double quarter = (plusQuarter - minusQuarter) / (STEP / 2);
      if (Math.abs(right - left) > KINK * Math.max(Math.abs(right), Math.abs(left)) + 1e-6
          || Math.abs(central - quarter) > KINK * 0.1 * Math.max(Math.abs(central), Math.abs(quarter)) + 1e-7) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return central;
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
    Entry worst = Entry.NONE;
    double maxDiff = 0;
    double[] xd = x.data();
    for (int i = 0; i < x.size(); i++) {
      double saved = xd[i];
      xd[i] = saved + STEP;
      double plus = criterion.forward(x, target, reduction);
      xd[i] = saved - STEP;
      double minus = criterion.forward(x, target, reduction);
      xd[i] = saved;
      double numeric = (plus - minus) / (2 * STEP);
      worst = worst.worse(i, analytic.data()[i], numeric);
      maxDiff = Math.max(maxDiff, Math.abs(analytic.data()[i] - numeric));
    }
    return new Result(worst, Entry.NONE, x.size(), 0, maxDiff);
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
