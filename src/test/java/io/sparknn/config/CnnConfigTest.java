package io.sparknn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.nn.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped CNN config and its {@code input_shape}: the shape reaches the model, and a shape that does not
 * hold the data's width, or a layer that does not fit the shape it gets, is refused before Spark starts,
 * naming the key, the layer and the shapes.
 */
class CnnConfigTest {
  private static final Path CNN = Path.of("conf/mnist-cnn.yaml");

  private static TrainPlan plan(String... sets) {
    ObjectNode tree = ConfigLoader.readTree(CNN);
    for (String s : sets) {
      ConfigLoader.set(tree, s);
    }
    return TrainPlan.of(ConfigLoader.bind(tree, TrainConfig.class, "mnist-cnn.yaml"), 784, 10, "mnist-cnn.yaml");
  }

  @Test
  void theShippedConfigIsALeNetOnImagesOfOneChannel() {
    TrainPlan p = plan();
    assertEquals(Shape.image(1, 28, 28), p.model().inputShape());
    assertEquals("[[16, 28, 28], [16, 28, 28], [16, 14, 14], [32, 10, 10], [32, 10, 10], [32, 5, 5], [800], [128], "
        + "[128], [128], [10], [10]]", p.model().shapes().toString());
    assertTrue(p.initialModel().toString().startsWith("Conv2d 1 -> 16, kernel 5, padding 2 (float32 compute)\n"),
        p.initialModel().toString());
  }

  @Test
  void anInputShapeThatDoesNotHoldTheDataIsRefusedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan("input_shape=[1, 28, 27]"));
    assertEquals("mnist-cnn.yaml: key 'input_shape' is [1, 28, 27] = 756 features per row, but the data has 784; "
        + "the sizes must multiply to the data's width", e.getMessage());
    e = assertThrows(ConfigException.class, () -> plan("input_shape=[1, 0, 784]"));
    assertTrue(e.getMessage().startsWith("mnist-cnn.yaml: key 'input_shape' is [1, 0, 784]"), e.getMessage());
  }

  @Test
  void aLayerThatDoesNotFitItsInputShapeIsRefusedNamingItAndTheShapes() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan("model.3.kernel_size=15"));
    assertEquals("mnist-cnn.yaml: key 'model.3': Conv2d's 15x15 kernel (padding 0) does not fit its input of shape "
        + "[16, 14, 14]: the padded image is 14x14", e.getMessage());
  }

  @Test
  void withoutAnInputShapeAConvolutionAsksForOne() {
    ObjectNode tree = ConfigLoader.readTree(CNN);
    tree.remove("input_shape");
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainPlan.of(ConfigLoader.bind(tree, TrainConfig.class, "cnn"), 784, 10, "cnn"));
    assertTrue(e.getMessage().startsWith("cnn: key 'model.0': Conv2d takes rows of shape [channels, height, width] "
        + "but gets [784]"), e.getMessage());
  }
}
