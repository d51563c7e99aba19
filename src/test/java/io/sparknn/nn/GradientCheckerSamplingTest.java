package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checker on a sample of the elements finds a wrong gradient and passes a right one. */
class GradientCheckerSamplingTest {
  /** y = x², with a backward that is wrong by a factor of 2. */
  private static final class WrongSquare extends Module {
    @Override
    public Matrix updateOutput(Matrix input) {
      Matrix out = Matrix.reuse(output, input.rows(), input.cols());
      for (int i = 0; i < input.size(); i++) {
        double v = input.data()[input.offset() + i];
        out.data()[out.offset() + i] = v * v;
      }
      return out;
    }

    @Override
    public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
      Matrix g = Matrix.reuse(gradInput, input.rows(), input.cols());
      for (int i = 0; i < input.size(); i++) {
        g.data()[g.offset() + i] = 4 * input.data()[input.offset() + i] * gradOutput.data()[gradOutput.offset() + i];
      }
      return g;
    }
  }

  private static Matrix random(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.size(); i++) {
      m.data()[i] = rng.nextDouble(-1, 1);
    }
    return m;
  }

  @Test
  void aGradientTwiceTooLargeShowsARelativeErrorOfOneThird() {
    GradientChecker.Result r = GradientChecker.check(new WrongSquare(), random(3, 5, 1), 7, 100);
    // |2n − n| / (|2n| + |n|) = 1/3 wherever the gradient is above the floor.
    assertEquals(1.0 / 3, r.inputError(), 1e-6);
    assertEquals(15, r.inputsChecked());
  }

  @Test
  void aWideLinearLayerIsCheckedOnASampleAndPasses() {
    Linear layer = new Linear(300, 200, 3);
    double[] before = Arrays.copyOf(layer.parameters(), layer.parameterCount());
    GradientChecker.Result r = GradientChecker.check(layer, random(4, 300, 2), 9, 50);
    assertEquals(50, r.inputsChecked());
    assertEquals(50, r.parametersChecked());
    assertTrue(r.worst() < 1e-6, "worst " + r.worst());
    assertTrue(r.maxAbsoluteDifference() < 1e-8, "difference " + r.maxAbsoluteDifference());
    assertTrue(Arrays.equals(before, Arrays.copyOf(layer.parameters(), layer.parameterCount())),
        "parameters restored");
  }

  @Test
  void aSampleHasNoRepeatsAndEveryIndexWhenSmall() {
    int[] some = GradientChecker.sample(1000, 40, new SplittableRandom(5));
    assertEquals(40, Arrays.stream(some).distinct().count());
    assertTrue(Arrays.stream(some).allMatch(i -> i >= 0 && i < 1000));
    assertEquals(7, GradientChecker.sample(7, 40, new SplittableRandom(5)).length);
  }
}
