package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The input shape carried through a model: each layer's output shape derived without building, printed in the
 * summary, and a layer that cannot take the shape it gets refused by position, naming it and both shapes.
 */
class ModelShapeTest {
  private static final List<LayerSpec> LENET = List.of(
      LayerSpec.of("Conv2d").with("out_channels", 16).with("kernel_size", 5).with("padding", 2),
      LayerSpec.of("ReLU"), LayerSpec.of("MaxPool2d").with("kernel_size", 2),
      LayerSpec.of("Conv2d").with("out_channels", 32).with("kernel_size", 5), LayerSpec.of("ReLU"),
      LayerSpec.of("MaxPool2d").with("kernel_size", 2), LayerSpec.of("Flatten"),
      new LayerSpec("Linear", java.util.Map.of("out", 128)), LayerSpec.of("ReLU"),
      LayerSpec.of("Dropout").with("p", 0.5), new LayerSpec("Linear", java.util.Map.of("out", 10)),
      LayerSpec.of("LogSoftMax"));

  @Test
  void everyLayersOutputShapeIsDerived() {
    ModelSpec spec = new ModelSpec(Shape.image(1, 28, 28), LENET);
    assertEquals("[[16, 28, 28], [16, 28, 28], [16, 14, 14], [32, 10, 10], [32, 10, 10], [32, 5, 5], [800], [128], "
        + "[128], [128], [10], [10]]", spec.shapes().toString());
    Sequential model = spec.build(1);
    assertEquals(model.parameterCount(), spec.countParameters()[0]);
    assertEquals(16 * 25 + 16 + 32 * 16 * 25 + 32 + 800 * 128 + 128 + 128 * 10 + 10, model.parameterCount());
    // The offsets the README's model-format section states.
    assertEquals(416, model.get(3).parameterOffset());
    assertEquals(13_216, ((Conv2d) model.get(3)).biasOffset());
    assertEquals(13_248, model.get(7).parameterOffset());
    assertEquals(115_776, model.get(10).parameterOffset());
    String summary = spec.summary(model);
    assertTrue(summary.contains("Conv2d 16 -> 32, kernel 5") && summary.contains("[32, 10, 10]")
        && summary.contains("117,066"), summary);
  }

  @Test
  void aLayerThatDoesNotFitItsInputIsRefusedNamingItAndTheShapes() {
    List<LayerSpec> layers = List.of(LayerSpec.of("MaxPool2d").with("kernel_size", 4),
        LayerSpec.of("Conv2d").with("out_channels", 2).with("kernel_size", 5));
    ModelSpec spec = new ModelSpec(Shape.image(3, 12, 12), layers);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.build(1));
    assertEquals("model.1: Conv2d's 5x5 kernel (padding 0) does not fit its input of shape [3, 3, 3]: the padded "
        + "image is 3x3", e.getMessage());
    assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class, spec::countParameters).getMessage());
  }

  @Test
  void aConvolutionOnFlatRowsIsRefusedAskingForTheInputShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec(784, LENET)
        .build(1));
    assertTrue(e.getMessage().startsWith("model.0: Conv2d takes rows of shape [channels, height, width] but gets "
        + "[784]") && e.getMessage().contains("input_shape"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec(Shape.image(3, 28, 28),
        List.of(LayerSpec.of("Conv2d").with("in_channels", 1).with("out_channels", 2).with("kernel_size", 3)))
        .build(1));
    assertEquals("model.0: Conv2d declares in_channels: 1 but gets input of shape [3, 28, 28] (3 channels)",
        e.getMessage());
  }

  @Test
  void anInputShapeMustHoldTheInputWidth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(784, LENET, Shape.image(1, 28, 27)));
    assertTrue(e.getMessage().contains("[1, 28, 27]") && e.getMessage().contains("784"), e.getMessage());
  }

  @Test
  void flatModelsKeepFlatShapes() {
    ModelSpec mlp = new ModelSpec(6, List.of(LayerSpec.linear(6, 4), LayerSpec.of("Tanh"), LayerSpec.linear(4, 2)));
    assertEquals("[[4], [4], [2]]", mlp.shapes().toString());
    assertEquals(mlp, new ModelSpec(Shape.flat(6), mlp.layers()));
  }
}
