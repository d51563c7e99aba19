package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autoencoder experiment end to end on a slice of MNIST with a small autoencoder. */
class AutoencoderExperimentTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void theLayersMirrorTheEncoderWithALinearCode() {
    List<String> types = AutoencoderExperiment.autoencoderLayers(784, List.of(64, 16, 4), "ELU",
        "BatchNormalization", "Sigmoid").stream()
        .map(l -> l.type() + (l.option("out") == null ? "" : " " + l.option("out")))
        .toList();
    assertEquals(List.of("Linear 64", "BatchNormalization", "ELU", "Linear 16", "BatchNormalization", "ELU",
        "Linear 4", "Linear 16", "BatchNormalization", "ELU", "Linear 64", "BatchNormalization", "ELU",
        "Linear 784", "Sigmoid"), types);
    assertEquals(List.of("Linear", "ReLU", "Linear"), AutoencoderExperiment.encoderLayers(784, List.of(8, 2),
        "ReLU", "none").stream().map(LayerSpec::type).toList());
  }

  @Test
  void aSmallRunLeavesReconstructionClassificationProbesAndPictures() throws Exception {
    Path run = AutoencoderExperiment.run(new String[] {"--config", "conf/autoencoder.yaml",
        "--set", "output.dir=" + tmp, "--set", "data.limit=1500", "--set", "data.validation=300",
        "--set", "encoder=[64, 16]", "--set", "autoencoder.epochs=3", "--set", "autoencoder.batch_size=100",
        "--set", "classifier.epochs=3", "--set", "classifier.batch_size=100", "--set", "finetune.epochs=1",
        "--set", "finetune.batch_size=100", "--set", "scratch.epochs=1", "--set", "scratch.batch_size=100",
        "--set", "pca_components=16", "--set", "probe_rows=400", "--set", "target_loss=75"}, jsc());

    Map<String, Double> loss = new java.util.LinkedHashMap<>();
    for (Map<String, String> r : Csv.read(run.resolve("reconstruction.csv"))) {
      loss.put(r.get("method").split(" ")[0] + (r.get("method").startsWith("predict the") ? "-mean" : ""),
          Csv.number(r, "test_reconstruction_loss"));
    }
    double zeros = loss.get("predict");
    double mean = loss.get("predict-mean");
    double pca = loss.get("PCA-16");
    double ae = loss.get("autoencoder");
    // MNIST digits: Σx² per image ≈ 100, the mean image explains about half of it, 16 components much more.
    assertTrue(zeros > 80 && zeros < 120, "zeros " + zeros);
    assertTrue(pca < mean && mean < zeros, "PCA " + pca + " < mean " + mean + " < zeros " + zeros);
    String table = Csv.read(run.resolve("reconstruction.csv")).toString();
    // The bar of 75 lies below predicting zeros (about 89 here), so meeting it takes learning.
    assertTrue(zeros > 75, "zeros " + zeros + " must miss the bar: " + table);
    assertTrue(ae <= 75, "autoencoder " + ae + " meets the bar of 75: " + table);
    Map<String, String> aeRow = Csv.read(run.resolve("reconstruction.csv")).get(3);
    String reached = aeRow.get("first_epoch_at_or_below_75.0");
    assertTrue(List.of("1", "2", "3").contains(reached), "the epoch that first met the bar: " + table);

    List<Map<String, String>> cls = Csv.read(run.resolve("classification.csv"));
    assertEquals(3, cls.size());
    assertTrue(cls.get(0).get("model").startsWith("logistic regression on 16-d codes"));
    for (Map<String, String> r : cls) {
      assertTrue(Csv.number(r, "test_accuracy") > 0.3, r.toString());
    }
    List<Map<String, String>> probes = Csv.read(run.resolve("probes.csv"));
    assertEquals(3, probes.size());
    // At this size every probe trains (none diverges): its validation loss ends below its first batch's.
    for (Map<String, String> r : probes) {
      assertTrue(r.get("outcome").startsWith("1 epoch(s) on 400 rows"), r.toString());
      assertTrue(Csv.number(r, "validation_loss") < Csv.number(r, "first_batch_loss"), r.toString());
    }
    int[] digits = Csv.png(run.resolve("digits.png"));
    assertTrue(digits[0] > 10 * 28 * 3 && digits[1] > 3 * 28 * 3 && digits[1] < 4 * 28 * 3 + 40,
        "three rows of ten digits: " + digits[0] + "x" + digits[1]);
    assertTrue(digits[2] > 20, "grey levels drawn");
    assertTrue(Files.exists(run.resolve("loss.png")));
    assertTrue(Files.exists(run.resolve("FINISHED")));
  }
}
