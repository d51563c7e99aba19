package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of every module's input and parameter gradients, in both modes, several shapes. */
class GradientCheckTest {
  private static final double TOLERANCE = 1e-6;
  private static final int[][] SHAPES = {{1, 5}, {4, 7}, {9, 3}};

  record Case(String name, IntFunction<Module> make, boolean evaluate) {
    @Override
    public String toString() {
      return name + (evaluate ? " (evaluate)" : " (training)");
    }
  }

  static Stream<Arguments> cases() {
    Case[] cases = {
      new Case("Linear", w -> new Linear(w, 4, 11), false),
      new Case("ReLU", w -> new ReLU(), false),
      new Case("LeakyReLU", w -> new LeakyReLU(), false),
      new Case("LeakyReLU 0.2", w -> new LeakyReLU(0.2), false),
      new Case("ELU", w -> new ELU(), false),
      new Case("ELU 0.5", w -> new ELU(0.5), false),
      new Case("SoftPlus", w -> new SoftPlus(), false),
      new Case("Sigmoid", w -> new Sigmoid(), false),
      new Case("Tanh", w -> new Tanh(), false),
      new Case("SoftMax", w -> new SoftMax(), false),
      new Case("LogSoftMax", w -> new LogSoftMax(), false),
      new Case("BatchMeanSubtraction", w -> new BatchMeanSubtraction(w, 0.9), false),
      new Case("BatchMeanSubtraction", w -> new BatchMeanSubtraction(w, 0.9), true),
      new Case("BatchNormalization", w -> shifted(new BatchNormalization(w)), false),
      new Case("BatchNormalization", w -> shifted(new BatchNormalization(w)), true),
      new Case("Dropout", w -> new Dropout(0.4), false),
      new Case("Dropout", w -> new Dropout(0.4), true),
      new Case("MLP", w -> new Sequential().add(new Linear(w, 6, 3)).add(new ELU()).add(new Linear(6, 4, 4))
          .add(new LeakyReLU()).add(new Linear(4, 3, 5)).add(new SoftMax()), false),
      new Case("MLP with BatchNormalization and Dropout", w -> new Sequential().add(new Linear(w, 6, 3))
          .add(shifted(new BatchNormalization(6))).add(new Tanh()).add(new Dropout(0.3))
          .add(new Linear(6, 3, 5)).add(new LogSoftMax()), false),
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (Case c : cases) {
      for (int[] shape : SHAPES) {
        if (c.name.startsWith("BatchNormalization") && !c.evaluate && shape[0] < 2) {
          continue; // batch statistics need two rows
        }
        if (c.name.contains("BatchNormalization") && shape[0] < 2) {
          continue;
        }
        b.add(Arguments.of(c, shape[0], shape[1]));
      }
    }
    return b.build();
  }

  /** Non-trivial γ, β and running statistics, so the check does not sit at the identity. */
  private static BatchNormalization shifted(BatchNormalization bn) {
    SplittableRandom rng = new SplittableRandom(7);
    double[] w = bn.parameters();
    for (int i = bn.parameterOffset(); i < bn.parameterOffset() + bn.parameterCount(); i++) {
      w[i] = rng.nextDouble(0.5, 1.5);
    }
    double[] s = bn.state();
    for (int i = bn.stateOffset() + bn.features(); i < bn.stateOffset() + 2 * bn.features(); i++) {
      s[i] = rng.nextDouble(0.5, 2);
    }
    return bn;
  }

  @ParameterizedTest(name = "{0} on {1}x{2}")
  @MethodSource("cases")
  void analyticGradientsMatchFiniteDifferences(Case c, int rows, int cols) {
    Module m = c.make.apply(cols);
    if (c.evaluate) {
      m.evaluate();
    }
    Matrix x = new Matrix(rows, cols);
    SplittableRandom rng = new SplittableRandom(rows * 31L + cols);
    for (int i = 0; i < x.size(); i++) {
      double v = rng.nextGaussian() * 1.5;
      // keep away from the kinks of ReLU-like functions, where no derivative exists
      x.data()[i] = Math.abs(v) < 1e-3 ? 0.5 : v;
    }
    GradientChecker.Result r = GradientChecker.check(m, x, 42);
    assertTrue(r.inputError() < TOLERANCE, () -> c + ": input gradient relative error " + r.inputError()
        + " at " + r.worstInput());
    assertTrue(r.parameterError() < TOLERANCE, () -> c + ": parameter gradient relative error "
        + r.parameterError() + " at " + r.worstParameter());
  }
}
