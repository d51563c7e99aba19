package io.sparknn.testkit.tests;

import static io.sparknn.testkit.ModuleAssertions.assertGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.BatchNormalization;
import io.sparknn.nn.Dropout;
import io.sparknn.nn.Linear;
import io.sparknn.nn.Module;
import io.sparknn.nn.Pointwise;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.Tanh;
import io.sparknn.tensor.Matrix;
import org.junit.jupiter.api.Test;

/** The gradient assertion passes for right derivatives and fails, naming the entry, for wrong ones. */
class ModuleAssertionsTest {
  /** {@code tanh}, whose derivative forgets the square: {@code 1 − y} instead of {@code 1 − y²}. */
  static final class WrongTanh extends Pointwise {
    @Override
    protected void apply(double[] x, int xo, double[] y, int yo, int n) {
      for (int i = 0; i < n; i++) {
        y[yo + i] = Math.tanh(x[xo + i]);
      }
    }

    @Override
    protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
      for (int i = 0; i < n; i++) {
        gi[o + i] = g[go + i] * (1 - y[yo + i]);
      }
    }
  }

  /** Linear whose parameter gradients are added twice. */
  static final class DoubledLinear extends Sequential {
    DoubledLinear(int in, int out) {
      add(new Linear(in, out, 3));
    }

    @Override
    public void accGradParameters(Matrix input, Matrix gradOutput) {
      super.accGradParameters(input, gradOutput);
      super.accGradParameters(input, gradOutput);
    }

    @Override
    public String toString() {
      return "DoubledLinear";
    }
  }

  /** {@code y = 2x} in training, {@code y = 3x} in evaluation, with the training derivative in both. */
  static final class WrongInEvaluation extends Module {
    @Override
    public Matrix updateOutput(Matrix input) {
      Matrix y = new Matrix(input.rows(), input.cols());
      double k = isTraining() ? 2 : 3;
      for (int i = 0; i < y.size(); i++) {
        y.data()[i] = k * input.data()[input.offset() + i];
      }
      return y;
    }

    @Override
    public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
      Matrix g = new Matrix(input.rows(), input.cols());
      for (int i = 0; i < g.size(); i++) {
        g.data()[i] = 2 * gradOutput.data()[gradOutput.offset() + i];
      }
      return g;
    }
  }

  @Test
  void rightDerivativesPassInBothModes() {
    assertGradients(new Linear(5, 3, 1), 4, 5, 1);
    assertGradients(new Tanh(), 3, 4, 2);
    assertGradients(new Dropout(0.4), 4, 6, 3);
    assertGradients(new BatchNormalization(4), 5, 4, 4);
    assertGradients(new Sequential().add(new Linear(4, 6, 1)).add(new BatchNormalization(6)).add(new Tanh())
        .add(new Dropout(0.3)).add(new Linear(6, 2, 2)), 5, 4, 5);
  }

  @Test
  void aWrongInputDerivativeFailsNamingTheEntry() {
    AssertionError e = assertThrows(AssertionError.class, () -> assertGradients(new WrongTanh(), 3, 4, 1));
    String m = e.getMessage();
    assertTrue(m.startsWith("WrongTanh (training mode): wrong input gradient at input["), m);
    assertTrue(m.contains("analytic ") && m.contains("numeric ") && m.contains("relative error "), m);
  }

  @Test
  void aWrongParameterDerivativeNamesTheLayerItBelongsTo() {
    Sequential model = new Sequential().add(new Tanh()).add(new DoubledLinear(4, 3));
    AssertionError e = assertThrows(AssertionError.class, () -> assertGradients(model, 3, 4, 1));
    assertTrue(e.getMessage().contains("wrong parameter gradient at parameter "), e.getMessage());
    assertTrue(e.getMessage().contains("(layer 1 counting from 0: DoubledLinear, its parameter "), e.getMessage());
  }

  @Test
  void aDerivativeWrongOnlyInEvaluationModeIsCaught() {
    AssertionError e = assertThrows(AssertionError.class, () -> assertGradients(new WrongInEvaluation(), 2, 3, 1));
    assertTrue(e.getMessage().startsWith("WrongInEvaluation (evaluation mode): wrong input gradient"),
        e.getMessage());
  }

  @Test
  void theModuleIsLeftAsItCame() {
    BatchNormalization bn = new BatchNormalization(3);
    bn.evaluate();
    double[] weights = bn.parameters().clone();
    double[] state = bn.state().clone();
    assertGradients(bn, 4, 3, 9);
    assertFalse(bn.isTraining());
    assertArrayEquals(weights, bn.parameters(), 0.0);
    assertArrayEquals(state, bn.state(), 0.0);
  }
}
