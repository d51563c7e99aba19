package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.report.MetricsLog;
import io.sparknn.run.RunDirectory;
import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global batches smaller than the number of partitions train; they used to be reported as divergence. */
class TrainJobSmallBatchTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void aBatchOfOneRowOverTwoPartitionsTrains() {
    Path run = TrainJob.train(new String[] {"--config", "conf/mnist-mlp.yaml", "--set", "batch_size=1", "--set",
        "data.limit=300", "--set", "data.validation=100", "--set", "epochs=1", "--set", "data.partitions=2",
        "--set", "optimizer.lr=0.01", "--set", "output.dir=" + tmp, "--set", "output.charts=false"}, jsc());
    assertTrue(Files.exists(run.resolve(RunDirectory.FINISHED)));
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(200, ((Number) lines.get(0).get("iterations")).intValue(), "one iteration per training row");
    assertTrue(Double.isFinite(((Number) lines.get(0).get("train_loss")).doubleValue()));
  }
}
