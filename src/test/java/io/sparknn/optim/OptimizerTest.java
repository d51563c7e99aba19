package io.sparknn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OptimizerTest {
  @Test
  void sgdMomentumIsTheSeedsRule() {
    double[] w = {1.0, -2.0};
    double[] v = {0.0, 0.0};
    SgdMomentum sgd = new SgdMomentum(0.9);
    double[][] grads = {{0.5, 1.0}, {0.25, -1.0}, {1.0, 0.0}};
    double[] expected = w.clone();
    for (double[] g : grads) {
      sgd.step(w, g, 0.1);
      for (int i = 0; i < 2; i++) {
        v[i] = 0.9 * v[i] + 0.1 * g[i];
        expected[i] -= v[i];
      }
    }
    assertArrayEquals(expected, w, 0.0);
    assertArrayEquals(v, sgd.state(), 0.0);
  }

  @Test
  void nesterovAndWeightDecayFollowTheirFormulas() {
    double[] w = {1.0};
    SgdMomentum sgd = new SgdMomentum(0.5, true, 0.1);
    sgd.step(w, new double[] {2.0}, 0.1);
    // g' = 2 + 0.1·1 = 2.1; v = 0.21; w = 1 − (0.5·0.21 + 0.21)
    assertEquals(1 - (0.5 * 0.21 + 0.21), w[0], 1e-15);
  }

  @Test
  void adamFirstStepMovesEachWeightByTheLearningRate() {
    double[] w = {1.0, 1.0};
    new Adam().step(w, new double[] {0.3, -7.0}, 0.01);
    assertEquals(0.99, w[0], 1e-7);
    assertEquals(1.01, w[1], 1e-7);
  }

  @Test
  void restoringStateContinuesBitIdentically() {
    double[] a = {0.3, -0.2, 0.1};
    Optimizer first = new Adam();
    first.step(a, new double[] {1, 2, 3}, 0.01);
    double[] b = a.clone();
    Optimizer second = new Adam();
    second.restore(first.state());
    first.step(a, new double[] {-1, 0.5, 2}, 0.01);
    second.step(b, new double[] {-1, 0.5, 2}, 0.01);
    assertArrayEquals(a, b, 0.0);
  }

  @Test
  void schedulesFollowTheirFormulas() {
    assertEquals(0.1, LearningRateSchedule.constant().rate(0.1, 7, 1000), 0);
    assertEquals(0.025, new StepDecay(0.5, 3).rate(0.1, 6, 0), 1e-15);
    assertEquals(0.1 * 0.81, new ExponentialDecay(0.9).rate(0.1, 2, 0), 1e-15);
    LinearWarmup warm = new LinearWarmup(4, LearningRateSchedule.constant());
    assertEquals(0.025, warm.rate(0.1, 0, 0), 1e-15);
    assertEquals(0.1, warm.rate(0.1, 0, 3), 1e-15);
    assertEquals(0.1, warm.rate(0.1, 1, 100), 1e-15);
  }

  @Test
  void clippingScalesTheGradientToTheGlobalNormAndLeavesSmallOnesAlone() {
    double[] g = {3, 4};
    assertEquals(5.0, GradientClipping.clip(g, 1.0), 0);
    assertArrayEquals(new double[] {0.6, 0.8}, g, 1e-15);
    double[] small = {0.3, 0.4};
    GradientClipping.clip(small, 1.0);
    assertArrayEquals(new double[] {0.3, 0.4}, small, 0);
  }

  @Test
  void badHyperparametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(1.0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.9, 1.0, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new StepDecay(0.5, 0));
  }
}
