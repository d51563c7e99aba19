package io.sparknn.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparknn.config.ConfigException;
import io.sparknn.jobs.TrainJob;
import io.sparknn.report.MetricsLog;
import io.sparknn.run.RunDirectory;
import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mode: task} end to end in local mode ({@code local[2,3]}: two slots, three attempts per task). */
class TaskModeSweepTest extends SparkTestBase {
  @TempDir
  Path tmp;
  @TempDir
  static Path shared;
  private static SweepResult reference;

  /** The 9-trial sweep, one trial at a time (so successive halving decides in a fixed order), run once. */
  private SweepResult reference() {
    if (reference == null) {
      reference = SweepFixture.run(shared.resolve("reference.yaml"),
          SweepFixture.yaml(shared.resolve("reference"), "task", 1), jsc(), s -> s);
    }
    return reference;
  }

  /** The reference lives in this class's {@code shared} directory: a subclass (Kryo) must compute its own. */
  @AfterAll
  static void forgetReference() {
    reference = null;
  }

  private SweepResult run(String name, String yaml, UnaryOperator<SweepSession> hooks) {
    return SweepFixture.run(tmp.resolve(name + ".yaml"), yaml, jsc(), hooks);
  }

  @Test
  void trialsTrainInConcurrentSparkTasksAndTheSweepLeavesItsResults() throws Exception {
    Path out = tmp.resolve("sweep");
    Path file = SweepFixture.write(tmp.resolve("sweep.yaml"), SweepFixture.yaml(out, "task", 0));
    SweepFixture.Watcher watcher = SweepFixture.Watcher.on(jsc());
    SweepResult r = SweepJob.sweep(new String[] {"--config", file.toString()}, jsc());
    watcher.stop(jsc());

    for (String f : List.of("sweep.yaml", "trials.jsonl", "leaderboard.csv", "leaderboard.md", "summary.json",
        "best-config.yaml", "model/model.json", "model/weights.bin", "curves.png", "objective-vs-optimizer.lr.png",
        "objective-vs-model.2.p.png", RunDirectory.FINISHED)) {
      assertTrue(Files.exists(out.resolve(f)), f + " missing");
    }
    assertFalse(Files.exists(out.resolve(".best")), "the best model was moved to model/");
    Map<String, JsonNode> lines = TrialLog.read(out.resolve("trials.jsonl"));
    assertEquals(9, lines.size());
    // One Spark job of one task per step, two running at once (two slots).
    int steps = r.trials().stream().mapToInt(t -> t.rungs().size()).sum();
    assertEquals(steps, watcher.descriptions.size(), watcher.descriptions.toString());
    assertEquals(steps, watcher.taskTimes.size());
    assertEquals(2, r.slots());
    assertEquals(2, watcher.maxConcurrentTasks(), "trials ran side by side in the two task slots");
    // Successive halving: every trial trained 1 epoch, about a third went on to 3, the rest stopped.
    long completed = r.trials().stream().filter(t -> t.status() == TrialRecord.Status.COMPLETED).count();
    long stopped = r.trials().stream().filter(t -> t.status() == TrialRecord.Status.STOPPED).count();
    assertEquals(9, completed + stopped);
    // Promotion is asynchronous (ASHA): how many trials reach the top rung depends on the order in which the
    // concurrent trials finish their first rung, so only its bounds are fixed.
    assertTrue(completed >= 1 && completed < 9, completed + " trials trained the whole budget");
    assertEquals(9 + 2 * completed, r.epochsTrained());
    assertEquals(27, r.epochsFullBudget());
    assertEquals(1 - (9 + 2.0 * completed) / 27, r.budgetSaved(), 1e-12);
    // Leaderboard: best first, and the best is the trial whose model was kept.
    TrialRecord best = r.best();
    assertNotNull(best);
    assertEquals(best, r.trials().get(0));
    for (TrialRecord t : r.trials()) {
      if (t.status() == TrialRecord.Status.COMPLETED) {
        assertTrue(t.objective() <= best.objective(), t.id() + " beats the best");
      }
    }
    List<String> board = Files.readAllLines(out.resolve("leaderboard.csv"));
    assertTrue(board.get(1).startsWith("1," + best.id() + ",completed,3,"), board.get(1));
    assertTrue(best.objective() > 0.6, "best val_accuracy " + best.objective());
    // The saved model scores on the validation set exactly what the sweep recorded.
    assertEquals(best.objective(), r.bestValidation(), 0.0);

    // TrainJob on the best configuration ends with the same weights and validation accuracy.
    Path run = TrainJob.train(new String[] {"--config", out.resolve("best-config.yaml").toString(), "--set",
        "output.dir=" + tmp.resolve("runs")}, jsc());
    assertArrayEquals(Files.readAllBytes(out.resolve("model/weights.bin")),
        Files.readAllBytes(run.resolve("model/weights.bin")));
    List<Map<String, Object>> metrics = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(best.objective(), ((Number) metrics.get(2).get("val_accuracy")).doubleValue(), 0.0);
    assertEquals(r.testAccuracy(), ((Number) metrics.get(3).get("test_accuracy")).doubleValue(), 0.0);

    // A finished sweep is never written into again.
    byte[] trials = Files.readAllBytes(out.resolve("trials.jsonl"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> SweepJob.sweep(new String[] {"--config", file.toString()}, jsc()));
    assertTrue(e.getMessage().contains("finished sweep"), e.getMessage());
    assertArrayEquals(trials, Files.readAllBytes(out.resolve("trials.jsonl")));
  }

  @Test
  void aTaskRetriedAfterAFailureGivesIdenticalResults() throws Exception {
    SweepResult clean = reference();
    SweepFixture.Watcher watcher = SweepFixture.Watcher.on(jsc());
    SweepResult faulty = run("faulty", SweepFixture.yaml(tmp.resolve("faulty"), "task", 1),
        s -> s.failFirstAttemptOf("t001"));
    watcher.stop(jsc());
    assertEquals(List.of("sweep-t001 attempt 0"), watcher.failedTasks.subList(0, 1));
    TrialRecord t001 = faulty.trials().stream().filter(t -> t.id().equals("t001")).findFirst().orElseThrow();
    assertEquals(1, t001.rungs().get(0).attempt(), "the recorded result came from the retry");
    assertEquals(SweepFixture.results(clean.dir()), SweepFixture.results(faulty.dir()));
    assertArrayEquals(Files.readAllBytes(clean.dir().resolve("model/weights.bin")),
        Files.readAllBytes(faulty.dir().resolve("model/weights.bin")));
  }

  @Test
  void divergingAndInvalidTrialsAreRecordedAsFailedAndTheSweepCompletes() throws Exception {
    // A learning rate of 1e300 overflows the weights to infinity in the first step (smaller ones saturate the
    // SoftMax and stall rather than diverge); a Dropout p of 1.5 is a value the config refuses.
    String yaml = SweepSpecTest.BASE + """
        name: failing
        search:
          type: grid
          params:
            optimizer.lr: [0.05, 1.0e300]
            model.2.p: [0.0, 1.5]
        early_stopping: {enabled: false}
        """ + "output: {dir: '" + tmp.resolve("failing") + "'}\n";
    SweepResult r = run("failing", yaml, s -> s);
    Map<String, TrialRecord> byId = new java.util.HashMap<>();
    r.trials().forEach(t -> byId.put(t.id(), t));
    assertEquals(TrialRecord.Status.COMPLETED, byId.get("t000").status());
    assertEquals(TrialRecord.Status.FAILED, byId.get("t001").status());
    assertTrue(byId.get("t001").reason().contains("invalid config") && byId.get("t001").reason().contains("Dropout"),
        byId.get("t001").reason());
    assertEquals(TrialRecord.Status.FAILED, byId.get("t002").status());
    assertTrue(byId.get("t002").reason().contains("training diverged"), byId.get("t002").reason());
    assertEquals(TrialRecord.Status.FAILED, byId.get("t003").status());
    assertEquals("t000", r.best().id());
    assertTrue(Files.exists(r.dir().resolve(RunDirectory.FINISHED)));
    JsonNode line = TrialLog.read(r.dir().resolve("trials.jsonl")).get("t002");
    assertEquals("failed", line.get("status").asText());
    assertTrue(line.get("reason").asText().contains("training diverged"));
    String board = Files.readString(r.dir().resolve("leaderboard.md"));
    assertTrue(board.lines().skip(2).findFirst().orElse("").contains("t000"), board);
    assertTrue(board.contains("training diverged"), board);
  }

  @Test
  void anInterruptedSweepResumesWithoutRerunningWhatItFinished() throws Exception {
    SweepResult reference = reference();
    Path out = tmp.resolve("resumed");
    String yaml = SweepFixture.yaml(out, "task", 1);
    assertThrows(SweepRunner.Interrupted.class, () -> run("resumed", yaml, s -> s.interruptAfter(6)));
    assertFalse(Files.exists(out.resolve(RunDirectory.FINISHED)));
    Set<String> finishedBefore = new HashSet<>();
    TrialLog.read(out.resolve("trials.jsonl")).forEach((id, n) -> {
      if (n.get("rungs").size() > 0) {
        finishedBefore.add(id);
      }
    });
    assertEquals(6, TrialLog.read(out.resolve("trials.jsonl")).values().stream()
        .mapToInt(n -> n.get("rungs").size()).sum(), "six steps were recorded before the interruption");

    // Another sweep may not take over the unfinished directory.
    ConfigException e = assertThrows(ConfigException.class,
        () -> run("other", yaml.replace("seed: 3", "seed: 4"), s -> s));
    assertTrue(e.getMessage().contains("differs") && e.getMessage().contains("'seed'"), e.getMessage());

    SweepFixture.Watcher watcher = SweepFixture.Watcher.on(jsc());
    SweepResult resumed = run("resumed", yaml, s -> s);
    watcher.stop(jsc());
    for (String d : watcher.descriptions) {
      String id = d.substring("sweep trial ".length(), d.indexOf(':'));
      assertFalse(finishedBefore.contains(id) && d.endsWith("epochs 0 -> 1"), "ran again: " + d);
    }
    assertEquals(SweepFixture.results(reference.dir()).stream().map(SweepFixtureLines::withoutTotals).toList(),
        SweepFixture.results(resumed.dir()).stream().map(SweepFixtureLines::withoutTotals).toList());
    assertArrayEquals(Files.readAllBytes(reference.dir().resolve("model/weights.bin")),
        Files.readAllBytes(resumed.dir().resolve("model/weights.bin")));
  }

  /** A trial promoted after the resumption retrains its lower rung: only its epoch total may differ. */
  private static final class SweepFixtureLines {
    static String withoutTotals(String line) {
      return line.replaceAll("\"epochs_trained\":\\d+,", "");
    }
  }
}
