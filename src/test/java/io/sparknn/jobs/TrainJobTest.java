package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.config.ConfigException;
import io.sparknn.data.DataFileException;
import io.sparknn.report.MetricsLog;
import io.sparknn.run.JobMain;
import io.sparknn.run.RunDirectory;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testkit.IdxFixtures;
import io.sparknn.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training job end to end in local mode, on a slice of the embedded MNIST. */
class TrainJobTest extends SparkTestBase {
  @TempDir
  Path tmp;

  private String[] args(String... extra) {
    String[] base = {"--config", "conf/mnist-mlp.yaml", "--set", "output.dir=" + tmp, "--set", "data.limit=3000",
        "--set", "data.validation=500", "--set", "epochs=2", "--set", "batch_size=100", "--set",
        "data.partitions=2"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void aRunLeavesItsConfigMetricsModelChartsAndConfusionMatrix() {
    Path run = TrainJob.train(args(), jsc());
    for (String f : List.of("config.yaml", "metrics.jsonl", "model/model.json", "model/weights.bin", "loss.png",
        "accuracy.png", "confusion.png", "confusion.csv", RunDirectory.FINISHED)) {
      assertTrue(Files.exists(run.resolve(f)), f + " missing");
    }
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(3, lines.size());
    for (String key : List.of("epoch", "iterations", "train_loss", "val_loss", "val_accuracy", "samples_per_sec",
        "elapsed_sec")) {
      assertTrue(lines.get(0).containsKey(key), key);
    }
    double first = ((Number) lines.get(0).get("train_loss")).doubleValue();
    double second = ((Number) lines.get(1).get("train_loss")).doubleValue();
    assertTrue(second < first, "training loss falls: " + first + " -> " + second);
    double testAccuracy = ((Number) lines.get(2).get("test_accuracy")).doubleValue();
    assertTrue(testAccuracy > 0.8, "test accuracy " + testAccuracy);

    // The saved model, evaluated by EvaluateJob, scores exactly what the run reported.
    Evaluation e = EvaluateJob.evaluate(new String[] {run.resolve("model").toString()}, jsc());
    assertEquals(testAccuracy, e.accuracy(), 0.0);
    assertEquals(((Number) lines.get(2).get("test_loss")).doubleValue(), e.loss(), 1e-12);
  }

  @Test
  void aDirectoryHoldingAFinishedRunIsRefusedAndLeftAsItWas() throws Exception {
    Path run = TrainJob.train(args("--set", "epochs=1"), jsc());
    byte[] weights = Files.readAllBytes(run.resolve("model/weights.bin"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainJob.train(args("--set", "epochs=1", "--set", "output.run=" + run), jsc()));
    assertTrue(e.getMessage().contains("finished run"), e.getMessage());
    assertEquals(java.util.Arrays.hashCode(weights),
        java.util.Arrays.hashCode(Files.readAllBytes(run.resolve("model/weights.bin"))));
  }

  @Test
  void aDivergingRunStopsNamingTheIterationAndTheLastCheckpointWithExitCode3() {
    String[] diverging = args("--set", "model.5.type=LeakyReLU", "--set", "criterion=MSE", "--set",
        "optimizer.lr=1e6", "--set", "checkpoint.every_iterations=1");
    io.sparknn.train.TrainingDivergedException e = assertThrows(io.sparknn.train.TrainingDivergedException.class,
        () -> TrainJob.train(diverging, jsc()));
    assertTrue(e.getMessage().contains("diverged at iteration " + e.iteration()), e.getMessage());
    assertTrue(e.getMessage().contains("last good checkpoint: " + tmp), e.getMessage());
    assertEquals(3, JobMain.run("TrainJob", () -> TrainJob.train(diverging, jsc())));
  }

  @Test
  void aRunWhoseOutputsSaturateExitsWithCode3NamingTheRuleAndTheIteration() {
    // ClassNLL clamps probabilities, so lr 1e6 gives a finite loss near 31 and a zero gradient, not a NaN.
    String[] saturating = args("--set", "optimizer.lr=1e6", "--set", "epochs=1");
    io.sparknn.train.TrainingDivergedException e = assertThrows(io.sparknn.train.TrainingDivergedException.class,
        () -> TrainJob.train(saturating, jsc()));
    // 2,500 training rows at 100: the first epoch ends at iteration 24.
    assertTrue(e.getMessage().contains("diverged at iteration 24 (epoch 1)"), e.getMessage());
    assertTrue(e.getMessage().contains("mean training loss must stay below"), e.getMessage());
    assertEquals(3, JobMain.run("TrainJob", () -> TrainJob.train(saturating, jsc())));
  }

  @Test
  void evaluatingASavedModelHoldingNaNExitsWithCode2() throws Exception {
    Path run = TrainJob.train(args("--set", "epochs=1", "--set", "output.charts=false"), jsc());
    Path w = run.resolve("model/weights.bin");
    byte[] bytes = Files.readAllBytes(w);
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(8 * 3, Double.NaN);
    Files.write(w, bytes);
    assertEquals(2, JobMain.run("EvaluateJob", () -> EvaluateJob.evaluate(new String[] {run.resolve("model")
        .toString()}, jsc())));
  }

  /** Writes a small IDX data set of {@code side × side} images into {@code dir}. */
  @Test
  void imagesOfAnotherSizeThanTheFirstLayerTakesAreRefusedNamingBoth() {
    Path data = tmp.resolve("small-images");
    IdxFixtures.write(data, 20, 20, 600);
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainJob.train(args("--set", "data.dir=" + data, "--set", "data.limit=0"), jsc()));
    assertTrue(e.getMessage().contains("400 features") && e.getMessage().contains("'model.0.in' is 784"),
        e.getMessage());
  }

  @Test
  void aTruncatedDataFileExitsWithCode2AndLeavesNoRunBehind() throws Exception {
    Path data = tmp.resolve("truncated");
    IdxFixtures.write(data, 28, 28, 600);
    Path images = data.resolve("train-images-idx3-ubyte");
    byte[] all = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(all, all.length - 100));
    Path out = tmp.resolve("out");
    assertEquals(2, JobMain.run("TrainJob", () -> TrainJob.train(args("--set", "data.dir=" + data,
        "--set", "data.limit=0", "--set", "output.dir=" + out), jsc())));
    assertTrue(!Files.exists(out), "nothing was written for a run that could not start");
  }

  @Test
  void badConfigAndMissingDataFailBeforeSparkWorkStarts() {
    assertThrows(ConfigException.class, () -> TrainJob.train(args("--set", "optimizer.lr=-0.1"), jsc()));
    DataFileException e = assertThrows(DataFileException.class,
        () -> TrainJob.train(args("--set", "data.dir=" + tmp.resolve("nowhere")), jsc()));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    assertTrue(JobMain.run("TrainJob", () -> TrainJob.train(args("--set", "batch_size=0"), jsc())) == 2);
  }
}
