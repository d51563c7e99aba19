package io.sparknn.nn.criterion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.GradientChecker;
import io.sparknn.tensor.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Finite-difference checks of every criterion, for the mean and the sum, against one-hot and soft targets. */
class CriterionGradientTest {
  private static final double TOLERANCE = 1e-6;

  private static Matrix probabilities(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix p = new Matrix(rows, cols);
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        double v = rng.nextDouble(0.2, 1.0);
        p.set(r, c, v);
        sum += v;
      }
      for (int c = 0; c < cols; c++) {
        p.set(r, c, p.get(r, c) / sum);
      }
    }
    return p;
  }

  private static Matrix oneHot(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix t = new Matrix(rows, cols);
    for (int r = 0; r < rows; r++) {
      t.set(r, rng.nextInt(cols), 1.0);
    }
    return t;
  }

  @ParameterizedTest(name = "{0}x{1}, {2}")
  @CsvSource({"1,3,MEAN", "5,4,MEAN", "7,10,MEAN", "1,3,SUM", "5,4,SUM", "7,10,SUM"})
  void msecriterionGradientMatchesFiniteDifferences(int rows, int cols, Reduction reduction) {
    Matrix x = probabilities(rows, cols, 1);
    Matrix t = probabilities(rows, cols, 2);
    assertTrue(GradientChecker.check(new MSECriterion(), reduction, x, t).worst() < TOLERANCE);
  }

  @ParameterizedTest(name = "{0}x{1}, {2}")
  @CsvSource({"1,3,MEAN", "5,4,MEAN", "7,10,MEAN", "1,3,SUM", "5,4,SUM", "7,10,SUM"})
  void classNllGradientMatchesFiniteDifferences(int rows, int cols, Reduction reduction) {
    Matrix x = probabilities(rows, cols, 3);
    Criterion c = new ClassNLLCriterion();
    assertTrue(GradientChecker.check(c, reduction, x, oneHot(rows, cols, 4)).worst() < TOLERANCE);
    assertTrue(GradientChecker.check(c, reduction, x, probabilities(rows, cols, 5)).worst() < TOLERANCE);
  }

  @ParameterizedTest(name = "{0}x{1}, {2}")
  @CsvSource({"1,3,MEAN", "5,4,MEAN", "7,10,MEAN", "1,3,SUM", "5,4,SUM", "7,10,SUM"})
  void logClassNllGradientMatchesFiniteDifferences(int rows, int cols, Reduction reduction) {
    Matrix x = probabilities(rows, cols, 6);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = Math.log(x.data()[i]);
    }
    assertTrue(GradientChecker.check(new LogClassNLLCriterion(), reduction, x, oneHot(rows, cols, 7)).worst()
        < TOLERANCE);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"MSE,MEAN", "NLL,MEAN", "LogNLL,MEAN", "MSE,SUM", "NLL,SUM", "LogNLL,SUM"})
  void classIndexTargetsGiveTheSameLossAndGradientAsOneHot(String kind, Reduction reduction) {
    Criterion a = switch (kind) {
      case "MSE" -> new MSECriterion();
      case "NLL" -> new ClassNLLCriterion();
      default -> new LogClassNLLCriterion();
    };
    Matrix x = probabilities(6, 5, 8);
    int[] classes = {0, 4, 2, 2, 1, 3};
    Matrix t = new Matrix(6, 5);
    for (int r = 0; r < 6; r++) {
      t.set(r, classes[r], 1.0);
    }
    double byMatrix = a.forward(x, t, reduction);
    double[] gradByMatrix = a.backward(x, t, reduction).toArray();
    assertEquals(byMatrix, a.forward(x, classes, reduction), 1e-15);
    double[] gradByIndex = a.backward(x, classes, reduction).toArray();
    for (int i = 0; i < gradByMatrix.length; i++) {
      assertEquals(gradByMatrix[i], gradByIndex[i], 1e-15);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"MSE", "NLL", "LogNLL"})
  void theSumIsBatchSizeTimesTheMeanAndTheMeanIsTheDefault(String kind) {
    Criterion c = switch (kind) {
      case "MSE" -> new MSECriterion();
      case "NLL" -> new ClassNLLCriterion();
      default -> new LogClassNLLCriterion();
    };
    Matrix x = probabilities(8, 3, 9);
    Matrix t = oneHot(8, 3, 10);
    double mean = c.forward(x, t);
    double[] meanGrad = c.backward(x, t).toArray();
    double sum = c.forward(x, t, Reduction.SUM);
    double[] sumGrad = c.backward(x, t, Reduction.SUM).toArray();
    assertEquals(8 * mean, sum, 1e-12);
    for (int i = 0; i < sumGrad.length; i++) {
      assertEquals(8 * meanGrad[i], sumGrad[i], 1e-12);
    }
    // A summing call leaves nothing behind: the next plain call is the mean again, to the bit.
    assertEquals(mean, c.forward(x, t));
    assertEquals(mean, c.forward(x, t, Reduction.MEAN));
    assertEquals(sum * (1.0 / 8), mean, 1e-15);
  }

  @org.junit.jupiter.api.Test
  void theMeanOfAnEmptyBatchDividesByOneNotZero() {
    assertEquals(1.0, Reduction.MEAN.scale(0));
    assertEquals(0.25, Reduction.MEAN.scale(4));
    assertEquals(1.0, Reduction.SUM.scale(4));
  }

  @org.junit.jupiter.api.Test
  void aTargetOfTheWrongShapeIsRefusedNamingTheCriterionAndBothShapes() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new MSECriterion().forward(new Matrix(4, 10), new Matrix(4, 9)));
    assertTrue(e.getMessage().contains("MSECriterion") && e.getMessage().contains("4x9")
        && e.getMessage().contains("4x10"), e.getMessage());
    IllegalArgumentException c = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ClassNLLCriterion().forward(new Matrix(2, 10), new int[] {3, 10}));
    assertTrue(c.getMessage().contains("class index 10"), c.getMessage());
  }

  @org.junit.jupiter.api.Test
  void classNllClampsZeroProbabilityToAFiniteLoss() {
    Matrix x = Matrix.wrap(new double[] {0.0, 1.0}, 1, 2);
    Matrix t = Matrix.wrap(new double[] {1.0, 0.0}, 1, 2);
    double loss = new ClassNLLCriterion().forward(x, t);
    assertEquals(-Math.log(1e-15), loss, 1e-9);
  }
}
