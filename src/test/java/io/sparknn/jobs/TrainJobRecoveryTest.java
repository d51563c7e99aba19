package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.report.MetricsLog;
import io.sparknn.run.JobMain;
import io.sparknn.run.RunDirectory;
import io.sparknn.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that fails leaves either nothing or a run that {@code --resume} really continues, and says which; a run
 * that crashed after saving its model is finished by {@code --resume} without training again.
 */
class TrainJobRecoveryTest extends SparkTestBase {
  @TempDir
  Path tmp;

  /** Exit code and the job's one-line error, as {@link JobMain} reports them. */
  private record Outcome(int code, String error) {}

  private String[] args(Path run, String... extra) {
    String[] base = {"--config", "conf/mnist-mlp.yaml", "--set", "output.run=" + run, "--set", "data.limit=3000",
        "--set", "data.validation=500", "--set", "epochs=2", "--set", "batch_size=100", "--set",
        "data.partitions=2", "--set", "output.charts=true"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  private Outcome run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = JobMain.run("TrainJob", () -> TrainJob.train(args, jsc()));
    } finally {
      System.setErr(err);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    err.print(text);
    String line = text.lines().filter(l -> l.startsWith("TrainJob: ")).findFirst().orElse("");
    return new Outcome(code, line);
  }

  private Configuration hadoop() {
    return jsc().hadoopConfiguration();
  }

  @AfterEach
  void restoreFileSystem() {
    FailingFileSystem.uninstall(hadoop());
  }

  private static boolean hasCheckpoint(Path run) throws Exception {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> Files.exists(p.resolve("_COMPLETE")));
    }
  }

  @Test
  void aCrashBeforeAnyCheckpointLeavesNothingAndTheDirectoryCanBeUsedAgain() {
    Path run = tmp.resolve("crash-early");
    FailingFileSystem.install(hadoop(), "checkpoints", false);
    Outcome o = run(args(run));
    assertEquals(1, o.code(), o.error());
    assertFalse(Files.exists(run), "the stub was removed");
    assertTrue(o.error().contains(run.toString()) && o.error().contains("removed"), o.error());
    FailingFileSystem.uninstall(hadoop());
    assertEquals(0, run(args(run, "--set", "epochs=1")).code());
    assertTrue(Files.exists(run.resolve(RunDirectory.FINISHED)));
  }

  @Test
  void badInputFoundAfterTheDirectoryWasClaimedLeavesItAsItWas() throws Exception {
    Path run = tmp.resolve("given");
    Files.createDirectories(run);
    FailingFileSystem.install(hadoop(), "checkpoints", true);
    Outcome o = run(args(run));
    assertEquals(2, o.code(), o.error());
    assertTrue(Files.isDirectory(run), "a directory the job did not create is kept");
    try (Stream<Path> s = Files.list(run)) {
      assertEquals(List.of(), s.toList(), "and emptied of what the job wrote");
    }
  }

  @Test
  void aCrashAfterACheckpointLeavesARunThatResumeFinishes() throws Exception {
    Path run = tmp.resolve("crash-late");
    FailingFileSystem.install(hadoop(), "ckpt-0000000050", false);
    Outcome o = run(args(run));
    assertEquals(1, o.code(), o.error());
    assertTrue(o.error().endsWith("resume with --resume " + run), o.error());
    assertTrue(hasCheckpoint(run));
    FailingFileSystem.uninstall(hadoop());
    assertEquals(0, run("--resume", run.toString()).code());
    assertTrue(Files.exists(run.resolve(RunDirectory.FINISHED)));
    assertTrue(Files.exists(run.resolve("model").resolve("_COMPLETE")));
  }

  @Test
  void overFixedShardsAResumedRunEndsInTheBitsOfAnUninterruptedRunOnThreePartitions() throws Exception {
    Path run = tmp.resolve("shards-crash");
    FailingFileSystem.install(hadoop(), "ckpt-0000000050", false);
    Outcome o = run(args(run, "--set", "shards=8"));
    assertEquals(1, o.code(), o.error());
    assertTrue(o.error().endsWith("resume with --resume " + run), o.error());
    assertTrue(hasCheckpoint(run));
    FailingFileSystem.uninstall(hadoop());
    assertEquals(0, run("--resume", run.toString()).code());
    Path straight = tmp.resolve("shards-straight");
    assertEquals(0, run(args(straight, "--set", "shards=8", "--set", "data.partitions=3")).code());
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        Files.readAllBytes(straight.resolve("model").resolve("weights.bin")),
        Files.readAllBytes(run.resolve("model").resolve("weights.bin")),
        "2 partitions, crashed and resumed, end in the bits of 3 partitions uninterrupted");
  }

  @Test
  void aDivergenceBeforeAnyCheckpointLeavesNothing() {
    Path run = tmp.resolve("diverged-early");
    Outcome o = run(args(run, "--set", "model.5.type=LeakyReLU", "--set", "criterion=MSE", "--set",
        "optimizer.lr=1e6"));
    assertEquals(3, o.code(), o.error());
    assertFalse(Files.exists(run), "nothing left: " + o.error());
    assertTrue(o.error().contains("removed"), o.error());
  }

  @Test
  void aDivergenceAfterACheckpointLeavesARunToResume() throws Exception {
    Path run = tmp.resolve("diverged-late");
    Outcome o = run(args(run, "--set", "model.5.type=LeakyReLU", "--set", "criterion=MSE", "--set",
        "optimizer.lr=1e6", "--set", "checkpoint.every_iterations=1"));
    assertEquals(3, o.code(), o.error());
    assertTrue(o.error().contains("last good checkpoint: " + run), o.error());
    assertTrue(o.error().endsWith("resume with --resume " + run), o.error());
    assertTrue(hasCheckpoint(run));
  }

  @Test
  void aRunThatCrashedAfterSavingItsModelIsFinishedByResumeWithoutTrainingAgain() throws Exception {
    Path run = tmp.resolve("saved");
    assertEquals(0, run(args(run, "--set", "epochs=1")).code());
    byte[] weights = Files.readAllBytes(run.resolve("model").resolve("weights.bin"));
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    // As if the job died after saving the model: no charts, no confusion matrix, no FINISHED.
    for (String f : List.of(RunDirectory.FINISHED, "loss.png", "accuracy.png", "confusion.png", "confusion.csv")) {
      Files.delete(run.resolve(f));
    }
    assertEquals(0, run("--resume", run.toString()).code());
    for (String f : List.of(RunDirectory.FINISHED, "loss.png", "accuracy.png", "confusion.png", "confusion.csv")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertArrayEquals(weights, Files.readAllBytes(run.resolve("model").resolve("weights.bin")));
    assertEquals(lines, MetricsLog.read(run.resolve("metrics.jsonl")), "nothing retrained, nothing repeated");
  }

  @Test
  void aRunThatDiedBeforeItsFinalMetricsLineGetsItFromTheSavedModel() throws Exception {
    Path run = tmp.resolve("no-final-line");
    assertEquals(0, run(args(run, "--set", "epochs=1")).code());
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    MetricsLog.keepEpochsUpTo(run.resolve("metrics.jsonl"), 1);
    Files.delete(run.resolve(RunDirectory.FINISHED));
    assertEquals(0, run("--resume", run.toString()).code());
    List<Map<String, Object>> after = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(lines.size(), after.size());
    assertEquals(lines.get(0), after.get(0));
    assertEquals(lines.get(lines.size() - 1).get("test_accuracy"), after.get(after.size() - 1).get("test_accuracy"));
    assertTrue(Files.exists(run.resolve(RunDirectory.FINISHED)));
  }
}
