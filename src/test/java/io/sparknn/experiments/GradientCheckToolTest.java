package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.config.ConfigException;
import io.sparknn.report.Table;
import org.junit.jupiter.api.Test;

/** The gradient-check command on the project's own configs, with real digits. */
class GradientCheckToolTest {
  @Test
  void theSeedMlpConfigChecksBelowOneInAMillionForEveryLayer() {
    Table t = GradientCheckTool.check(new String[] {"conf/mnist-mlp.yaml", "--samples", "3"});
    // Six layers, the whole model and the criterion.
    assertEquals(8, t.rows());
    assertTrue(t.toCsv().contains("Linear 784 -> 196,153860,300,300,"), "a sample of a wide layer is checked");
    assertTrue(t.toCsv().contains("Linear 784 -> 196"));
    double worst = GradientCheckTool.worst(t);
    assertTrue(worst < 1e-6, "worst relative error " + worst);
  }

  @Test
  void aModelWithDropoutAndBatchNormalizationChecksToo() {
    Table t = GradientCheckTool.check(new String[] {"conf/mnist-best.yaml", "--samples", "4",
        "--set", "model.0.out=20", "--set", "model.3.out=12", "--set",
        "model.2={type: BatchNormalization}"});
    assertTrue(t.toCsv().contains("Dropout"));
    assertTrue(t.toCsv().contains("BatchNormalization"));
    assertTrue(GradientCheckTool.worst(t) < 1e-6, t.toMarkdown());
  }

  @Test
  void theCnnConfigChecksInFloat64LeavingOutOnlyMaxPoolingKinks() {
    Table t = GradientCheckTool.check(new String[] {"conf/mnist-cnn.yaml", "--samples", "2", "--max-checks", "120",
        "--set", "model.3.out_channels=8", "--set", "model.7.out=16"});
    String csv = t.toCsv();
    assertTrue(csv.contains("Conv2d 1 -> 16, kernel 5, padding 2\"") && !csv.contains("float32"), csv);
    assertTrue(GradientCheckTool.worst(t) < 1e-6, t.toMarkdown());
    for (String line : csv.split("\\R")) {
      if (line.contains("Conv2d") || line.contains("Linear")) {
        assertTrue(line.endsWith(",0"), "no kinks in a smooth layer: " + line);
      }
    }
  }

  @Test
  void aBrokenConfigIsRefusedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> GradientCheckTool.check(new String[] {
        "conf/mnist-mlp.yaml", "--set", "model.0.out=-3"}));
    assertTrue(e.getMessage().contains("model"), e.getMessage());
    assertThrows(ConfigException.class, () -> GradientCheckTool.check(new String[] {}));
  }
}
