package com.example.swish;

import static io.sparknn.testkit.ModuleAssertions.assertGradients;

import io.sparknn.nn.Linear;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.SoftMax;
import org.junit.jupiter.api.Test;

/** Swish's derivative against central differences, alone and inside a model. */
class SwishGradientTest {
  @Test
  void itsInputGradientIsRight() {
    assertGradients(new Swish(1.0), 8, 5, 1);
    assertGradients(new Swish(1.7), 8, 5, 2);
    assertGradients(new Swish(-0.5), 8, 5, 3);
  }

  @Test
  void gradientsFlowThroughItInAModel() {
    assertGradients(new Sequential().add(new Linear(6, 4, 1)).add(new Swish(1.5)).add(new Linear(4, 3, 2))
        .add(new SoftMax()), 5, 6, 4);
  }
}
