package io.sparknn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configs are validated before Spark starts, and every error names the key and what is allowed. */
class TrainPlanTest {
  private static final Path MLP = Path.of("conf/mnist-mlp.yaml");

  private static TrainPlan plan(String... sets) {
    ObjectNode tree = ConfigLoader.readTree(MLP);
    for (String s : sets) {
      ConfigLoader.set(tree, s);
    }
    return TrainPlan.of(ConfigLoader.bind(tree, TrainConfig.class, "mnist-mlp.yaml"), 784, "mnist-mlp.yaml");
  }

  @Test
  void theShippedConfigIsTheSeedsNetwork() {
    TrainPlan p = plan();
    assertEquals("Linear 784 -> 196\nLeakyReLU 0.03\nLinear 196 -> 98\nLeakyReLU 0.03\nLinear 98 -> 10\nSoftMax\n",
        p.model().build(1).toString());
    assertEquals("ClassNLL", p.criterion().type());
  }

  @Test
  void overridesAreTypedAndReachNestedKeysAndListItems() {
    TrainPlan p = plan("optimizer.lr=0.05", "epochs=1", "model.2.out=50", "model.4.in=50");
    assertEquals(0.05, p.options().learningRate());
    assertEquals(1, p.options().epochs());
    assertTrue(p.model().build(1).toString().contains("Linear 196 -> 50"));
  }

  @Test
  void theFirstLinearCanComputeInFloat32() {
    TrainPlan p = plan("model.0.compute=float32");
    assertTrue(p.model().build(1).toString().startsWith("Linear 784 -> 196 (float32 compute)\nLeakyReLU"),
        p.model().build(1).toString());
    assertTrue(p.model().build(1).toString().contains("Linear 196 -> 98\n"));
  }

  @ParameterizedTest(name = "{0} -> mentions {1}")
  @CsvSource(delimiter = '|', value = {
    "optimizer.lr=0|'optimizer.lr'",
    "optimizer.lr=-1|'optimizer.lr'",
    "batch_size=0|'batch_size'",
    "epochs=-1|'epochs'",
    "optimizer.type=rmsprop|[sgd, adam]",
    "optimizer.momentum=1.5|momentum",
    "criterion=Hinge|[ClassNLL, LogClassNLL, MSE]",
    "target=labels|[classes, input]",
    "model.1.type=Mish|unknown layer type 'Mish'",
    "model.2.in=100|key 'model.2'",
    "model.1.p=0.5|takes no option 'p'",
    "model.0.compute=float16|[float64, float32]",
    "model.1.compute=float32|takes no option 'compute'",
    "data.augmentation.rotate=400|'data.augmentation.rotate'",
    "optimizer.schedule.type=cosine|[constant, step, exponential]",
    "checkpoint.keep=0|'checkpoint.keep'",
  })
  void badValuesAreRefusedNamingTheKey(String set, String mentioned) {
    ConfigException e = assertThrows(ConfigException.class, () -> plan(set));
    assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    assertTrue(e.getMessage().startsWith("mnist-mlp.yaml"), e.getMessage());
  }

  @Test
  void anUnknownKeyIsRefusedNamingItAndTheAllowedOnes() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan("optimizer.learning_rate=0.1"));
    assertTrue(e.getMessage().contains("unknown key 'optimizer.learning_rate'"), e.getMessage());
    assertTrue(e.getMessage().contains("lr"), e.getMessage());
  }

  @Test
  void aWrongTypeIsRefusedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan("batch_size=lots"));
    assertTrue(e.getMessage().contains("'batch_size'"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.readTree(Path.of("conf/nope.yaml")));
    assertTrue(e.getMessage().contains("conf/nope.yaml"), e.getMessage());
  }

  @Test
  void localStepsReachTheOptionsAndWhatARoundCannotHonourIsRefusedNamingTheKeys() {
    assertEquals(1, plan().options().localSteps(), "synchronous by default");
    assertEquals(4, plan("optimizer.local_steps=4").options().localSteps());
    assertEquals(5.0, plan("optimizer.local_steps=4", "optimizer.clip_norm=5").options().clipNorm(),
        "each local step clipped on its partition");
    String[][] refused = {
        {"optimizer.local_steps=0", "key 'optimizer.local_steps' is 0; expected an integer >= 1"},
        {"optimizer.local_steps=4,optimizer.type=adam", "key 'optimizer.local_steps' is 4, but 'optimizer.type' is "
            + "'adam'; the driver steps with each round's mean displacement, which only 'sgd' moves the weights by"},
        {"optimizer.local_steps=4,shards=8", "but 'shards' is 8; each partition's own steps depend on how many "
            + "partitions there are"}};
    for (String[] r : refused) {
      ConfigException e = assertThrows(ConfigException.class, () -> plan(r[0].split(",")), r[0]);
      assertTrue(e.getMessage().startsWith("mnist-mlp.yaml: ") && e.getMessage().contains(r[1]), e.getMessage());
    }
  }
}
