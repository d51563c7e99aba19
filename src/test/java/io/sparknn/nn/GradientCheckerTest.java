package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import org.junit.jupiter.api.Test;

class GradientCheckerTest {
  /** ReLU whose backward forgets the mask: the checker must notice. */
  static final class BrokenReLU extends Pointwise {
    @Override
    protected void apply(double[] x, int xo, double[] y, int yo, int n) {
      for (int i = 0; i < n; i++) {
        y[yo + i] = Math.max(0, x[xo + i]);
      }
    }

    @Override
    protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
      System.arraycopy(g, go, gi, o, n);
    }
  }

  @Test
  void aWrongInputGradientIsReported() {
    Matrix x = Matrix.wrap(new double[] {-1, 2, -3, 4}, 2, 2);
    GradientChecker.Result r = GradientChecker.check(new BrokenReLU(), x, 1);
    assertTrue(r.inputError() > 0.1);
    // The worst entry is a negative input, where BrokenReLU passes the gradient that ReLU blocks.
    GradientChecker.Entry worst = r.input();
    assertTrue(worst.index() == 0 || worst.index() == 2, "index " + worst.index());
    assertEquals(0.0, worst.numeric(), 1e-8);
    assertTrue(Math.abs(worst.analytic()) > 0.01, "analytic " + worst.analytic());
  }

  @Test
  void aWrongParameterGradientIsReported() {
    Linear l = new Linear(3, 2, 5);
    Matrix x = Matrix.wrap(new double[] {1, 2, 3, -1, 0.5, 2}, 2, 3);
    // Corrupt the accumulated gradient through a module that doubles it.
    Sequential doubling = new Sequential() {
      @Override
      public void accGradParameters(Matrix input, Matrix gradOutput) {
        super.accGradParameters(input, gradOutput);
        super.accGradParameters(input, gradOutput);
      }
    };
    doubling.add(new Linear(3, 2, 5));
    assertEquals(0.0, GradientChecker.check(l, x, 1).parameterError(), 1e-6);
    assertTrue(GradientChecker.check(doubling, x, 1).parameterError() > 0.1);
  }

  @Test
  void theCheckLeavesParametersUnchanged() {
    Linear l = new Linear(3, 2, 5);
    double[] before = l.parameters().clone();
    GradientChecker.check(l, Matrix.wrap(new double[] {1, 2, 3}, 1, 3), 1);
    assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(l.parameters()));
  }
}
