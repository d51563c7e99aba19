package io.sparknn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.run.RunDirectory;
import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mode: distributed} in local mode with FAIR scheduling: SparkTrainer runs side by side in their own pools. */
class DistributedModeSweepTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Override
  public SparkConf conf() {
    return super.conf().set("spark.scheduler.mode", "FAIR");
  }

  /** Four trials, three iterations an epoch: a distributed trial is a Spark job per iteration. */
  private static String yaml(Path out, String mode) {
    return SweepFixture.yaml(out, mode, 2).replace("batch_size: 100", "batch_size: 300")
        .replace("trials: 9", "trials: 4");
  }

  @Test
  void trialsAreSparkTrainerRunsInSeparateFairPoolsAndMatchTaskMode() throws Exception {
    SweepFixture.Watcher watcher = SweepFixture.Watcher.on(jsc());
    SweepResult distributed = SweepFixture.run(tmp.resolve("d.yaml"), yaml(tmp.resolve("distributed"), "distributed"),
        jsc(), s -> s);
    watcher.stop(jsc());
    assertTrue(Files.exists(distributed.dir().resolve(RunDirectory.FINISHED)));
    assertTrue(Files.exists(distributed.dir().resolve("model/weights.bin")));
    assertEquals(2, distributed.slots());
    // Every job of a trial ran in the pool of its driver thread; both pools were used.
    assertEquals(Set.of("sweep-0", "sweep-1"), new HashSet<>(watcher.pools));
    // A trial step is many jobs (one per iteration, one per evaluation), with one task per partition.
    int steps = distributed.trials().stream().mapToInt(t -> t.rungs().size()).sum();
    assertTrue(watcher.descriptions.size() > 3 * steps, watcher.descriptions.size() + " jobs for " + steps);
    // Two trials ran at once: a task of one overlapped a task of another (not just a trial's two partitions).
    assertEquals(2, watcher.maxConcurrentTrials(), "trials running at the same moment");

    // The same trials in task mode give the same numbers epoch by epoch (both replay the same partitions).
    SweepResult task = SweepFixture.run(tmp.resolve("t.yaml"), yaml(tmp.resolve("task"), "task"), jsc(), s -> s);
    Map<String, EpochResult> byTask = new HashMap<>();
    task.trials().forEach(t -> t.history().forEach(e -> byTask.put(t.id() + "@" + e.epoch(), e)));
    int compared = 0;
    for (TrialRecord t : distributed.trials()) {
      for (EpochResult e : t.history()) {
        EpochResult other = byTask.get(t.id() + "@" + e.epoch());
        if (other != null) {
          assertEquals(other.valAccuracy(), e.valAccuracy(), 0.0, t.id() + " epoch " + e.epoch());
          assertEquals(other.trainLoss(), e.trainLoss(), 0.0, t.id() + " epoch " + e.epoch());
          assertEquals(other.valLoss(), e.valLoss(), 1e-12, t.id() + " epoch " + e.epoch());
          compared++;
        }
      }
    }
    assertTrue(compared >= 4, compared + " epochs compared");
  }
}
