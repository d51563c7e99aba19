package io.sparknn.testkit;

import io.sparknn.nn.GradientChecker;
import io.sparknn.nn.Module;
import io.sparknn.nn.Sequential;
import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gradient assertions for a layer or a whole model, built on {@link GradientChecker}: the module's input
 * gradient and parameter gradients against central differences in float64, on a seeded random input, in
 * training mode and, where the module's output differs between the modes (Dropout, batch normalisation),
 * in evaluation mode too. Random modules are reseeded before every forward, so the perturbed evaluations see
 * the same mask. A failure is an {@link AssertionError} naming the worst entry: which gradient, where (the
 * input's row and column, or the parameter's index and the layer it belongs to), the analytic and numeric
 * values and their relative error. The module's parameters, running statistics and mode are left as they were.
 */
public final class ModuleAssertions {
  /** Largest relative error accepted, the project's own bar for every built-in layer. */
  public static final double TOLERANCE = 1e-6;

  private ModuleAssertions() {}

  /** Checks {@code module} on a {@code batch × inputWidth} input drawn from {@code seed}. */
  public static void assertGradients(Module module, int batch, int inputWidth, long seed) {
    assertGradients(module, randomInput(batch, inputWidth, seed), seed);
  }

  /** Checks {@code module} at {@code input}; {@code seed} draws the projection of its output. */
  public static void assertGradients(Module module, Matrix input, long seed) {
    boolean wasTraining = module.isTraining();
    double[] state = module.state();
    double[] savedState = state.clone();
    try {
      module.training();
      check(module, input, seed, "training");
      if (modesDiffer(module, input)) {
        // At the running statistics the module came with, not those the training-mode forwards left.
        System.arraycopy(savedState, 0, state, 0, state.length);
        module.evaluate();
        check(module, input, seed, "evaluation");
      }
    } finally {
      System.arraycopy(savedState, 0, state, 0, state.length);
      if (wasTraining) {
        module.training();
      } else {
        module.evaluate();
      }
    }
  }

  /**
   * A {@code batch × width} Gaussian input (σ = 1.5), with no value within 1e-3 of 0, where ReLU-like layers
   * have no derivative.
   */
  public static Matrix randomInput(int batch, int width, long seed) {
    Matrix x = new Matrix(batch, width);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < x.size(); i++) {
      double v = rng.nextGaussian() * 1.5;
      x.data()[i] = Math.abs(v) < 1e-3 ? 0.5 : v;
    }
    return x;
  }

  private static void check(Module module, Matrix input, long seed, String mode) {
    GradientChecker.Result r = GradientChecker.check(module, input, seed);
    if (r.inputError() >= TOLERANCE || Double.isNaN(r.inputError())) {
      GradientChecker.Entry e = r.input();
      int row = e.index() / input.cols();
      int col = e.index() % input.cols();
      throw new AssertionError(failure(module, mode, "input gradient", "at input[" + row + "][" + col + "]", e));
    }
    if (r.parameterError() >= TOLERANCE || Double.isNaN(r.parameterError())) {
      GradientChecker.Entry e = r.parameter();
      throw new AssertionError(failure(module, mode, "parameter gradient", "at " + parameter(module, e.index()),
          e));
    }
  }

  private static String failure(Module module, String mode, String what, String where,
      GradientChecker.Entry e) {
    return firstLine(module) + " (" + mode + " mode): wrong " + what + " " + where + ": analytic " + e.analytic()
        + ", numeric " + e.numeric() + ", relative error " + String.format("%.3g", e.error()) + " (tolerance "
        + TOLERANCE + ")";
  }

  /** Parameter {@code index} of {@code module}, and in a {@link Sequential} the layer holding it. */
  static String parameter(Module module, int index) {
    String name = "parameter " + index;
    if (!(module instanceof Sequential seq)) {
      return name;
    }
    int absolute = module.parameterOffset() + index;
    for (int layer = 0; layer < seq.size(); layer++) {
      Module m = seq.get(layer);
      int from = m.parameterOffset();
      if (m.parameterCount() > 0 && absolute >= from && absolute < from + m.parameterCount()) {
        return name + " (layer " + layer + " counting from 0: " + m + ", its parameter " + (absolute - from)
            + " of " + m.parameterCount() + ")";
      }
    }
    return name;
  }

  /** Whether evaluation mode computes another output than training mode at {@code input}. */
  private static boolean modesDiffer(Module module, Matrix input) {
    module.training();
    module.reseed(1);
    double[] training = module.forward(input.copy()).toArray();
    module.evaluate();
    double[] evaluation = module.forward(input.copy()).toArray();
    module.training();
    return !Arrays.equals(training, evaluation);
  }

  private static String firstLine(Module module) {
    String s = module.toString().strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : "Sequential(" + String.join(", ", s.split("\n")) + ")";
  }
}
