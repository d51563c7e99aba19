package io.sparknn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config mistakes that used to be taken silently or reported vaguely are refused with the key named. */
class ConfigSurprisesTest {
  @TempDir
  Path tmp;

  @Test
  void anEmptyOverrideIsRefusedNotReplacedByTheDefault() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"), List.of("epochs="), TrainConfig.class));
    assertTrue(e.getMessage().contains("--set epochs=: no value given"), e.getMessage());
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithItsFullName() throws Exception {
    Path f = tmp.resolve("twice.yaml");
    Files.writeString(f, "name: x\noptimizer:\n  type: sgd\n  lr: 0.1\n  momentum: 0.9\n  lr: 0.2\n"
        + "model: [{type: Linear, out: 10}]\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
    assertEquals(f + ": key 'optimizer.lr' is given twice (the second at line 6); keep one", e.getMessage());
  }

  @Test
  void aKeyGivenTwiceInsideALayerListIsNamedByItsIndex() throws Exception {
    Path f = tmp.resolve("twice.yaml");
    Files.writeString(f, "model:\n  - {type: Linear, out: 10}\n  - {type: SoftMax, type: ReLU}\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
    assertTrue(e.getMessage().contains("key 'model.1.type' is given twice"), e.getMessage());
  }

  @Test
  void zeroEpochsIsRefused() {
    TrainConfig c = ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"), List.of("epochs=0"), TrainConfig.class);
    ConfigException e = assertThrows(ConfigException.class, () -> TrainPlan.of(c, 784, "mnist-mlp.yaml"));
    assertEquals("mnist-mlp.yaml: key 'epochs' is 0; expected an integer >= 1", e.getMessage());
  }

  @Test
  void shardsThatAreNotAPowerOfTwoOrFewerThanThePartitionsAreRefused() {
    TrainConfig six = ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"), List.of("shards=6"), TrainConfig.class);
    assertEquals("mnist-mlp.yaml: key 'shards' is 6; expected 0 (off) or a power of two (1, 2, 4, ..., 64, ...)",
        assertThrows(ConfigException.class, () -> TrainPlan.of(six, 784, "mnist-mlp.yaml")).getMessage());
    TrainConfig many = ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"), List.of("shards=8", "data.partitions=12"),
        TrainConfig.class);
    assertEquals("mnist-mlp.yaml: key 'data.partitions' is 12, but 'shards: 8' needs at most 8 partitions, so that "
        + "each holds whole shards",
        assertThrows(ConfigException.class, () -> TrainPlan.of(many, 784, "mnist-mlp.yaml")).getMessage());
    TrainConfig three = ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"), List.of("shards=8", "data.partitions=3"),
        TrainConfig.class);
    assertEquals(8, TrainPlan.of(three, 784, "mnist-mlp.yaml").options().shards());
  }

  @Test
  void anUnknownKeyFromSetIsBlamedOnTheOverrideNotTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"),
        List.of("epochs=2", "optimizer.lrr=0.1"), TrainConfig.class));
    assertTrue(e.getMessage().startsWith("--set epochs=2 optimizer.lrr=0.1 (on conf/mnist-mlp.yaml): unknown key "
        + "'optimizer.lrr'"), e.getMessage());
  }

  @Test
  void aValueOfTheWrongKindIsDescribedWithoutJacksonInternals() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"),
        List.of("optimizer=adam"), TrainConfig.class));
    assertEquals("--set optimizer=adam (on conf/mnist-mlp.yaml): key 'optimizer': expected a mapping "
        + "(OptimizerConfig), found string 'adam'", e.getMessage());
  }

  @Test
  void aLayerIsNamedByTheIndexAnOverrideUses() {
    TrainConfig c = ConfigLoader.load(Path.of("conf/mnist-mlp.yaml"), List.of("model.2.in=100"), TrainConfig.class);
    ConfigException e = assertThrows(ConfigException.class, () -> TrainPlan.of(c, 784, "mnist-mlp.yaml"));
    assertTrue(e.getMessage().startsWith("mnist-mlp.yaml: key 'model.2': "), e.getMessage());
  }
}
