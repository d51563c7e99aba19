package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SequentialTest {
  private static Sequential seedMlp() {
    return new Sequential().add(new Linear(784, 196, 1)).add(new LeakyReLU()).add(new Linear(196, 98, 2))
        .add(new LeakyReLU()).add(new Linear(98, 10, 3)).add(new SoftMax());
  }

  @Test
  void allParametersLiveInOneFlatArray() {
    Sequential net = seedMlp();
    assertEquals(784 * 196 + 196 + 196 * 98 + 98 + 98 * 10 + 10, net.parameterCount());
    assertEquals(net.parameterCount(), net.parameters().length);
    for (Module m : net.modules()) {
      assertSame(net.parameters(), m.parameters());
      assertSame(net.gradParameters(), m.gradParameters());
    }
    Linear second = (Linear) net.get(2);
    assertEquals(784 * 196 + 196, second.parameterOffset());
    // writing through the flat array changes the layer's view
    net.parameters()[second.parameterOffset()] = 42.0;
    assertEquals(42.0, second.weight().get(0, 0));
  }

  @Test
  void weightsAndStateIsTheParametersFollowedByTheRunningStatistics() {
    Sequential net = new Sequential().add(new Linear(3, 2, 1)).add(new BatchNormalization(2));
    net.state()[1] = 7.0;
    double[] all = net.weightsAndState();
    assertEquals(net.parameterCount() + net.stateCount(), all.length);
    assertArrayEquals(net.parameters(), Arrays.copyOfRange(all, 0, net.parameterCount()));
    assertArrayEquals(net.state(), Arrays.copyOfRange(all, net.parameterCount(), all.length));
    all[0] = 99.0;
    assertTrue(net.parameters()[0] != 99.0, "a copy, not a view");
  }

  @Test
  void addingKeepsEachLayersInitialWeights() {
    Linear a = new Linear(3, 2, 9);
    double[] before = a.parameters().clone();
    Sequential net = new Sequential().add(new Linear(4, 3, 8)).add(a);
    assertArrayEquals(before, Arrays.copyOfRange(net.parameters(), a.parameterOffset(),
        a.parameterOffset() + a.parameterCount()));
  }

  @Test
  void aShapeMismatchNamesBothModules() {
    Sequential net = new Sequential().add(new Linear(784, 196));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.add(new Linear(100, 10)));
    assertTrue(e.getMessage().contains("Linear 784 -> 196"), e.getMessage());
    assertTrue(e.getMessage().contains("Linear 100 -> 10"), e.getMessage());
  }

  @Test
  void aWrongInputWidthNamesTheModuleAndBothShapes() {
    Sequential net = seedMlp();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(new Matrix(2, 783)));
    assertTrue(e.getMessage().contains("Linear 784 -> 196"), e.getMessage());
    assertTrue(e.getMessage().contains("2x783"), e.getMessage());
    assertTrue(e.getMessage().startsWith("In module 1"), e.getMessage());
  }

  @Test
  void removeKeepsTheOtherWeightsAndRepacks() {
    Sequential net = new Sequential().add(new Linear(4, 3, 1)).add(new ReLU()).add(new Linear(3, 3, 2))
        .add(new ReLU()).add(new Linear(3, 2, 3));
    Linear last = (Linear) net.get(4);
    double[] lastBefore = Arrays.copyOfRange(net.parameters(), last.parameterOffset(),
        last.parameterOffset() + last.parameterCount());
    Module removed = net.remove(3);
    assertTrue(removed instanceof ReLU);
    Linear middle = (Linear) net.remove(2);
    assertEquals(3, net.size());
    assertEquals(4 * 3 + 3 + 3 * 2 + 2, net.parameters().length);
    assertArrayEquals(lastBefore, Arrays.copyOfRange(net.parameters(), last.parameterOffset(),
        last.parameterOffset() + last.parameterCount()));
    assertEquals(middle.parameterCount(), middle.parameters().length, "a removed layer owns its arrays again");
  }

  @Test
  void removingALayerWhoseNeighboursDoNotFitIsRefusedAndChangesNothing() {
    Sequential net = new Sequential().add(new Linear(4, 3, 1)).add(new Linear(3, 5, 2)).add(new Linear(5, 2, 3));
    double[] before = net.parameters().clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.remove(1));
    assertTrue(e.getMessage().contains("Linear 5 -> 2"), e.getMessage());
    assertEquals(3, net.size());
    assertArrayEquals(before, net.parameters());
  }

  @Test
  void gradientsAccumulateUntilZeroed() {
    Sequential net = new Sequential().add(new Linear(3, 2, 1)).add(new Tanh());
    Matrix x = Matrix.wrap(new double[] {1, -2, 0.5}, 1, 3);
    Matrix g = Matrix.wrap(new double[] {1, 1}, 1, 2);
    net.zeroGradParameters();
    net.forward(x);
    net.backward(x, g);
    double[] once = net.gradParameters().clone();
    net.forward(x);
    net.backward(x, g);
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], net.gradParameters()[i], 1e-15);
    }
    net.zeroGradParameters();
    assertTrue(Arrays.stream(net.gradParameters()).allMatch(v -> v == 0.0));
  }

  @Test
  void skippingTheInputGradientLeavesParameterGradientsUnchanged() {
    Sequential a = new Sequential().add(new Linear(5, 4, 1)).add(new ReLU()).add(new Linear(4, 3, 2));
    Sequential b = new Sequential().add(new Linear(5, 4, 1)).add(new ReLU()).add(new Linear(4, 3, 2))
        .inputGradient(false);
    Matrix x = Matrix.wrap(new double[] {1, -2, 0.5, 3, -1, 0.2, 0.4, -0.6, 1, 2}, 2, 5);
    Matrix g = Matrix.wrap(new double[] {1, -1, 0.5, 2, 0, -3}, 2, 3);
    for (Sequential s : new Sequential[] {a, b}) {
      s.zeroGradParameters();
      s.forward(x);
      s.backward(x, g);
    }
    assertArrayEquals(a.gradParameters(), b.gradParameters(), 0.0);
    assertEquals(null, b.gradInput());
    assertEquals(2, a.gradInput().rows());
  }

  @Test
  void toStringListsTheModulesAsTheSeedPrintsThem() {
    Sequential net = new Sequential().add(new Linear(2, 2)).add(new SoftMax());
    assertEquals("Linear 2 -> 2\nSoftMax\n", net.toString());
  }

  @Test
  void modesPropagateToChildren() {
    Dropout d = new Dropout(0.5);
    Sequential net = new Sequential().add(new Linear(2, 2)).add(d);
    net.evaluate();
    assertTrue(!d.isTraining());
    net.training();
    assertTrue(d.isTraining());
  }

  @Test
  void resetWithTheSameSeedGivesTheSameWeights() {
    Sequential a = seedMlp();
    Sequential b = seedMlp();
    a.reset(123);
    b.reset(123);
    assertArrayEquals(a.parameters(), b.parameters());
    b.reset(124);
    assertTrue(!Arrays.equals(a.parameters(), b.parameters()));
  }

  @Test
  void aModuleCannotJoinTwoContainers() {
    Linear l = new Linear(2, 2);
    new Sequential().add(l);
    assertThrows(IllegalArgumentException.class, () -> new Sequential().add(l));
  }
}
