package io.sparknn.nn;

import io.sparknn.testkit.ModuleAssertions;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of every module's input and parameter gradients, several shapes, by the test kit's
 * {@link ModuleAssertions} (training mode, and evaluation mode where it computes something else).
 */
class GradientCheckTest {
  private static final int[][] SHAPES = {{1, 5}, {4, 7}, {9, 3}};

  record Case(String name, IntFunction<Module> make) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Case[] cases = {
      new Case("Linear", w -> new Linear(w, 4, 11)),
      new Case("ReLU", w -> new ReLU()),
      new Case("LeakyReLU", w -> new LeakyReLU()),
      new Case("LeakyReLU 0.2", w -> new LeakyReLU(0.2)),
      new Case("ELU", w -> new ELU()),
      new Case("ELU 0.5", w -> new ELU(0.5)),
      new Case("SoftPlus", w -> new SoftPlus()),
      new Case("Sigmoid", w -> new Sigmoid()),
      new Case("Tanh", w -> new Tanh()),
      new Case("SoftMax", w -> new SoftMax()),
      new Case("LogSoftMax", w -> new LogSoftMax()),
      new Case("BatchMeanSubtraction", w -> new BatchMeanSubtraction(w, 0.9)),
      new Case("BatchNormalization", w -> shifted(new BatchNormalization(w))),
      new Case("Dropout", w -> new Dropout(0.4)),
      new Case("MLP", w -> new Sequential().add(new Linear(w, 6, 3)).add(new ELU()).add(new Linear(6, 4, 4))
          .add(new LeakyReLU()).add(new Linear(4, 3, 5)).add(new SoftMax())),
      new Case("MLP with BatchNormalization and Dropout", w -> new Sequential().add(new Linear(w, 6, 3))
          .add(shifted(new BatchNormalization(6))).add(new Tanh()).add(new Dropout(0.3))
          .add(new Linear(6, 3, 5)).add(new LogSoftMax())),
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (Case c : cases) {
      for (int[] shape : SHAPES) {
        if (c.name.contains("BatchNormalization") && shape[0] < 2) {
          continue; // batch statistics need two rows
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
    ModuleAssertions.assertGradients(c.make.apply(cols), rows, cols, rows * 31L + cols);
  }
}
