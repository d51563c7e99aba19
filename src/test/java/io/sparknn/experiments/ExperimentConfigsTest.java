package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configs this package ships are valid, and a typo in one is refused with the key named. */
class ExperimentConfigsTest {
  @ParameterizedTest
  @ValueSource(strings = {"conf/mnist-best.yaml", "conf/autoencoder-probe-plain.yaml",
      "conf/autoencoder-probe-bn.yaml"})
  void trainingConfigsPassTrainJobsValidation(String file) {
    TrainConfig c = ConfigLoader.bind(ConfigLoader.readTree(Path.of(file)), TrainConfig.class, file);
    TrainPlan plan = TrainPlan.of(c, 784, file);
    assertNotNull(plan.model().build(c.seed()));
  }

  @Test
  void theBestMlpConfigAugmentsDropsOutAndDecays() {
    TrainConfig c = ConfigLoader.bind(ConfigLoader.readTree(Path.of("conf/mnist-best.yaml")), TrainConfig.class,
        "conf/mnist-best.yaml");
    TrainPlan plan = TrainPlan.of(c, 784, "conf/mnist-best.yaml");
    assertNotNull(plan.options().augmentation());
    assertEquals(2.0, c.data().augmentation().shift());
    assertEquals(10.0, c.data().augmentation().rotate());
    assertTrue(c.model().stream().anyMatch(l -> l.type().equals("Dropout")));
    double first = plan.options().schedule().rate(0.1, 1, 200);
    double last = plan.options().schedule().rate(0.1, 19, 2100);
    assertTrue(last < first / 5, "the rate decays: " + first + " -> " + last);
  }

  @Test
  void experimentConfigsBindAndTyposAreRefusedNamingTheKey() {
    assertEquals(20, ExperimentConfigs.load(new String[] {"--config", "conf/toy.yaml"}, ToyExperiment.Config.class,
        "usage").epochs());
    assertEquals(30, ExperimentConfigs.load(new String[] {"--config", "conf/autoencoder.yaml"},
        AutoencoderExperiment.Config.class, "usage").pcaComponents());
    assertEquals(12, ActivationComparison.variants(ExperimentConfigs.load(new String[] {"--config",
        "conf/compare-activations.yaml"}, ActivationComparison.Config.class, "usage"), 784).size());
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigs.load(new String[] {"--config",
        "conf/toy.yaml", "--set", "epohcs=3"}, ToyExperiment.Config.class, "usage"));
    assertTrue(e.getMessage().contains("epohcs"), e.getMessage());
    assertThrows(ConfigException.class, () -> ExperimentConfigs.load(new String[] {}, ToyExperiment.Config.class,
        "usage"));
  }

  @Test
  void theExperimentsCheckTheirOptimizerAsATrainingConfigDoes() {
    ToyExperiment.Config toy = ExperimentConfigs.load(new String[] {"--config", "conf/toy.yaml", "--set",
        "optimizer.momentum=1.5"}, ToyExperiment.Config.class, "usage", ToyExperiment.MOVED_KEYS);
    ConfigException e = assertThrows(ConfigException.class,
        () -> ToyExperiment.plan(toy, "relu-2-4-2", ToyExperiment.models().get("relu-2-4-2")));
    assertTrue(e.getMessage().contains("optimizer") && e.getMessage().contains("momentum"), e.getMessage());
    ActivationComparison.Config cmp = ExperimentConfigs.load(new String[] {"--config",
        "conf/compare-activations.yaml", "--set", "optimizer.type=rmsprop"}, ActivationComparison.Config.class,
        "usage", ActivationComparison.MOVED_KEYS);
    e = assertThrows(ConfigException.class,
        () -> ActivationComparison.plan(cmp, ActivationComparison.variants(cmp, 784).get(0)));
    assertTrue(e.getMessage().contains("'optimizer.type' is 'rmsprop'"), e.getMessage());
  }
}
