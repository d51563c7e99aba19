package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import org.junit.jupiter.api.Test;

/** Facts about individual modules beyond their gradients. */
class ModuleBehaviourTest {
  @Test
  void softMaxAndLogSoftMaxStayFiniteForHugeInputs() {
    Matrix x = Matrix.wrap(new double[] {1e4, -1e4, 0, -1e4, 1e4, 1e4}, 2, 3);
    double[] p = new SoftMax().forward(x).toArray();
    double[] lp = new LogSoftMax().forward(x).toArray();
    for (int i = 0; i < p.length; i++) {
      assertTrue(Double.isFinite(p[i]) && Double.isFinite(lp[i]), "element " + i);
    }
    assertEquals(1.0, p[0], 1e-12);
    assertEquals(0.5, p[4], 1e-12);
    assertEquals(Math.log(0.5), lp[5], 1e-12);
  }

  @Test
  void softMaxRowsSumToOne() {
    Matrix x = Matrix.wrap(new double[] {1, 2, 3, -1, 0, 1}, 2, 3);
    Matrix y = new SoftMax().forward(x);
    assertEquals(1.0, y.get(0, 0) + y.get(0, 1) + y.get(0, 2), 1e-15);
    assertEquals(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), y.get(0, 0), 1e-15);
  }

  @Test
  void linearComputesXTimesWTransposedPlusBias() {
    Linear l = new Linear(2, 3, 1);
    double[] w = l.parameters();
    double[] values = {1, 2, 3, 4, 5, 6, 0.5, -0.5, 1.5};
    System.arraycopy(values, 0, w, 0, values.length);
    Matrix y = l.forward(Matrix.wrap(new double[] {1, 1, 2, 0}, 2, 2));
    assertArrayEquals(new double[] {3.5, 6.5, 12.5, 2.5, 5.5, 11.5}, y.toArray(), 1e-15);
  }

  @Test
  void linearInitialisationIsUniformWithinOneOverSqrtFanIn() {
    Linear l = new Linear(400, 50, 3);
    double bound = 1 / Math.sqrt(400);
    double max = 0;
    for (double v : l.parameters()) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= bound && max > 0.95 * bound, "max |w| = " + max);
  }

  @Test
  void dropoutIsIdentityInEvaluationAndScalesKeptUnitsInTraining() {
    Dropout d = new Dropout(0.25);
    Matrix x = new Matrix(100, 100).fill(1.0);
    double[] y = d.forward(x).toArray();
    int kept = 0;
    for (double v : y) {
      assertTrue(v == 0.0 || Math.abs(v - 1 / 0.75) < 1e-15);
      kept += v == 0.0 ? 0 : 1;
    }
    assertEquals(7500, kept, 300);
    d.evaluate();
    assertArrayEquals(x.toArray(), d.forward(x).toArray());
  }

  @Test
  void dropoutWithTheSameSeedDrawsTheSameMask() {
    Dropout a = new Dropout(0.5);
    Dropout b = new Dropout(0.5);
    Matrix x = new Matrix(10, 10).fill(1.0);
    a.reseed(77);
    b.reseed(77);
    assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray());
  }

  @Test
  void batchMeanSubtractionFollowsTheSeedsRunningMeanRule() {
    BatchMeanSubtraction m = new BatchMeanSubtraction(2, 0.9);
    Matrix x = Matrix.wrap(new double[] {1, 10, 3, 20}, 2, 2);
    assertArrayEquals(new double[] {-1, -5, 1, 5}, m.forward(x).toArray(), 1e-15);
    assertEquals(0.1 * 2, m.state()[0], 1e-15);
    assertEquals(0.1 * 15, m.state()[1], 1e-15);
    m.forward(x);
    assertEquals(0.2 * 0.9 + 0.1 * 2, m.state()[0], 1e-15);
    m.evaluate();
    assertEquals(1 - m.state()[0], m.forward(x).get(0, 0), 1e-15);
  }

  @Test
  void batchNormalizationNormalisesEachFeatureInTraining() {
    BatchNormalization bn = new BatchNormalization(2);
    Matrix x = Matrix.wrap(new double[] {1, 100, 3, 300, 5, 500}, 3, 2);
    Matrix y = bn.forward(x);
    for (int c = 0; c < 2; c++) {
      double mean = (y.get(0, c) + y.get(1, c) + y.get(2, c)) / 3;
      double var = (Math.pow(y.get(0, c) - mean, 2) + Math.pow(y.get(1, c) - mean, 2)
          + Math.pow(y.get(2, c) - mean, 2)) / 3;
      assertEquals(0.0, mean, 1e-12);
      assertEquals(1.0, var, 1e-4);
    }
    assertEquals(0.1 * 3, bn.state()[0], 1e-12);
    assertEquals(0.9 + 0.1 * 4, bn.state()[2], 1e-12);
  }

  @Test
  void toStringReadsLikeTorch() {
    assertEquals("Linear 784 -> 196", new Linear(784, 196).toString());
    assertEquals("ReLU", new ReLU().toString());
  }
}
