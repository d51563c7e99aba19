package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparknn.report.MetricsLog;
import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job with {@code optimizer.local_steps}: the epochs still count every iteration, and a checkpoint every
 * N iterations is written at the end of each round that crosses a multiple of N, since a round's end is the only
 * position a run can resume from.
 */
class TrainJobLocalStepsTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void roundsCheckpointWhereTheyCrossAMultipleOfEveryIterations() throws Exception {
    // 200 training rows in batches of 25: 8 iterations an epoch, rounds of 4 ending at 4, 8, 12 and 16.
    Path run = TrainJob.train(new String[] {"--config", "conf/mnist-mlp.yaml", "--set", "batch_size=25", "--set",
        "data.limit=300", "--set", "data.validation=100", "--set", "epochs=2", "--set", "data.partitions=2",
        "--set", "optimizer.local_steps=4", "--set", "checkpoint.every_iterations=5", "--set",
        "checkpoint.keep=10", "--set", "output.dir=" + tmp, "--set", "output.charts=false"}, jsc());
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(8, ((Number) lines.get(0).get("iterations")).intValue());
    assertEquals(16, ((Number) lines.get(1).get("iterations")).intValue());
    // 5, 10 and 15 fall inside the rounds ending at 8, 12 and 16; 8 and 16 are the epochs' ends too.
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      assertEquals(List.of("ckpt-0000000008", "ckpt-0000000012", "ckpt-0000000016"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
