package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparknn.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment configs' old flat keys ({@code lr}, {@code momentum}, {@code points_per_class},
 * {@code partitions}) are refused with their new nested key named, in a file and in {@code --set}; the error is
 * a {@link ConfigException}, which the experiments' main turns into exit code 2.
 */
class MovedKeysTest {
  @TempDir
  Path tmp;

  @Test
  void anOldFlatToyConfigNamesTheNewKeyOfEveryMovedKey() throws Exception {
    Path old = tmp.resolve("toy.yaml");
    Files.writeString(old, "name: toy\nseed: 42\npoints_per_class: 500\npartitions: 2\nbatch_size: 128\n"
        + "epochs: 20\nlr: 0.1\nmomentum: 0.9\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigs.load(
        new String[] {"--config", old.toString()}, ToyExperiment.Config.class, "usage", ToyExperiment.MOVED_KEYS));
    assertEquals(old + ": key 'points_per_class' moved: use 'data.points_per_class'; key 'partitions' moved: use "
        + "'data.partitions'; key 'lr' moved: use 'optimizer.lr'; key 'momentum' moved: use 'optimizer.momentum'",
        e.getMessage());
  }

  @Test
  void anOldFlatComparisonConfigNamesTheOptimizerKeys() throws Exception {
    Path old = tmp.resolve("compare-activations.yaml");
    Files.writeString(old, "name: compare-activations\nlr: 0.1\nmomentum: 0.9\nbatch_size: 128\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigs.load(
        new String[] {"--config", old.toString()}, ActivationComparison.Config.class, "usage",
        ActivationComparison.MOVED_KEYS));
    assertEquals(old + ": key 'lr' moved: use 'optimizer.lr'; key 'momentum' moved: use 'optimizer.momentum'",
        e.getMessage());
  }

  @Test
  void anOldKeyInSetIsRefusedOnTheNewConfigs() {
    ConfigException toy = assertThrows(ConfigException.class, () -> ExperimentConfigs.load(
        new String[] {"--config", "conf/toy.yaml", "--set", "lr=0.05"}, ToyExperiment.Config.class, "usage",
        ToyExperiment.MOVED_KEYS));
    assertEquals("--set lr=0.05: key 'lr' moved: use 'optimizer.lr'", toy.getMessage());
    ConfigException cmp = assertThrows(ConfigException.class, () -> ExperimentConfigs.load(
        new String[] {"--config", "conf/compare-activations.yaml", "--set", "momentum=0.5"},
        ActivationComparison.Config.class, "usage", ActivationComparison.MOVED_KEYS));
    assertEquals("--set momentum=0.5: key 'momentum' moved: use 'optimizer.momentum'", cmp.getMessage());
  }

  @Test
  void theNewKeysBindToTheHomeworksSettings() {
    ToyExperiment.Config toy = ExperimentConfigs.load(new String[] {"--config", "conf/toy.yaml", "--set",
        "optimizer.lr=0.05", "--set", "data.partitions=3"}, ToyExperiment.Config.class, "usage",
        ToyExperiment.MOVED_KEYS);
    assertEquals(0.05, toy.optimizer().lr());
    assertEquals(0.9, toy.optimizer().momentum());
    assertEquals(500, toy.data().pointsPerClass());
    assertEquals(3, toy.data().partitions());
    ActivationComparison.Config cmp = ExperimentConfigs.load(new String[] {"--config",
        "conf/compare-activations.yaml"}, ActivationComparison.Config.class, "usage", ActivationComparison.MOVED_KEYS);
    assertEquals("sgd", cmp.optimizer().type());
    assertEquals(0.1, cmp.optimizer().lr());
    assertEquals(0.9, cmp.optimizer().momentum());
  }
}
