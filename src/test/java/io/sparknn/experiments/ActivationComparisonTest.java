package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.nn.LayerSpec;
import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activation comparison on a slice of MNIST, two variants at a time. */
class ActivationComparisonTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void normalisationsSitBetweenEachHiddenLinearAndItsActivation() {
    ActivationComparison.Config c = ConfigLoader.bind(ConfigLoader.readTree(Path.of("conf/compare-activations.yaml")),
        ActivationComparison.Config.class, "conf/compare-activations.yaml");
    List<ActivationComparison.Variant> v = ActivationComparison.variants(c, 784);
    assertEquals(12, v.size());
    ActivationComparison.Variant eluBn = v.stream().filter(x -> x.label().equals("ELU + BN")).findFirst().orElseThrow();
    assertEquals(List.of("Linear", "BatchNormalization", "ELU", "Linear", "BatchNormalization", "ELU", "Linear",
        "SoftMax"), eluBn.spec().layers().stream().map(LayerSpec::type).toList());
    assertEquals(List.of("Linear", "ReLU", "Linear", "ReLU", "Linear", "SoftMax"),
        v.get(0).spec().layers().stream().map(LayerSpec::type).toList());
  }

  @Test
  void anUnknownNormalisationIsRefusedNamingTheKey() {
    ActivationComparison.Config c = new ActivationComparison.Config(null, null, null, null, null,
        List.of("LayerNorm"), null, null, null, null, null, null);
    ConfigException e = assertThrows(ConfigException.class, () -> ActivationComparison.variants(c, 784));
    assertTrue(e.getMessage().contains("LayerNorm"), e.getMessage());
  }

  @Test
  void concurrentVariantsEachLearnAndTheRunHoldsTablesAndOneChart() throws Exception {
    Path run = ActivationComparison.run(new String[] {"--config", "conf/compare-activations.yaml",
        "--set", "output.dir=" + tmp, "--set", "data.limit=1500", "--set", "data.validation=300",
        "--set", "hidden=[24]", "--set", "activations=[ReLU, SoftPlus]",
        "--set", "normalizations=[none, BatchMeanSubtraction, BatchNormalization]", "--set", "epochs=2",
        "--set", "batch_size=100", "--set", "target_accuracy=0.6", "--set", "concurrency=2"}, jsc());
    List<Map<String, String>> rows = Csv.read(run.resolve("results.csv"));
    assertEquals(List.of("ReLU", "ReLU + BMS", "ReLU + BN", "SoftPlus", "SoftPlus + BMS", "SoftPlus + BN"),
        rows.stream().map(r -> r.get("variant")).toList());
    for (Map<String, String> r : rows) {
      // 1,200 training digits, 2 epochs: far above chance (10%) for every variant.
      assertTrue(Csv.number(r, "final_test_accuracy") > 0.6, r.toString());
      assertTrue(Csv.number(r, "best_val_accuracy") > 0.6, r.toString());
      int reached = Integer.parseInt(r.get("epoch_to_60"));
      assertTrue(reached >= 1 && reached <= 2, r.toString());
      assertTrue(Csv.number(r, "seconds_to_60") > 0, r.toString());
    }
    Map<String, String> timing = Csv.read(run.resolve("timing.csv")).get(0);
    assertEquals("6", timing.get("variants"));
    assertEquals("2", timing.get("concurrency"));
    assertTrue(Csv.number(timing, "wall_seconds") > 0);
    int[] chart = Csv.png(run.resolve("validation-accuracy.png"));
    assertEquals(800, chart[0]);
    assertTrue(chart[2] > 6, "six coloured curves");
    assertTrue(Files.readString(run.resolve("results.md")).contains("SoftPlus + BN"));
  }
}
