package io.sparknn.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testkit.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SparknnClassifier in an MLlib Pipeline submitted to a real standalone cluster (two executors in JVMs of their
 * own: the fit's blocks, the scoring's broadcast and the saved model all cross real process boundaries): the
 * saved model's weights and the reloaded PipelineModel's predictions are those of the same app in local mode.
 */
class MlPipelineOnClusterTest {
  private static final Duration APP_TIMEOUT = Duration.ofSeconds(240);
  private static final String CSV = Paths.get("data/wine/wine.csv").toAbsolutePath().toString();

  @TempDir
  Path tmp;

  /** The sparknn weights file of the saved pipeline's classifier stage. */
  private static byte[] weights(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out.resolve("pipeline/stages"))) {
      Path stage = s.filter(p -> p.getFileName().toString().startsWith("2_")).findFirst().orElseThrow();
      assertTrue(Files.exists(stage.resolve("model/_COMPLETE")), "a complete sparknn model in " + stage);
      return Files.readAllBytes(stage.resolve("model/weights.bin"));
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aPipelineFittedOnTheClusterSavesTheWeightsAndPredictionsOfALocalRun() throws Exception {
    StandaloneCluster cluster = SharedCluster.twoWorkers();
    Path jar = StandaloneCluster.buildAppJar(cluster.logDir().resolve("wine-app.jar"),
        List.of(Paths.get("target", "classes"), Paths.get("target", "test-classes")));
    Path remote = Files.createDirectories(tmp.resolve("cluster"));
    Process p = cluster.submit(jar, WinePipelineApp.class.getName(), List.of(CSV, remote.toString()),
        Map.of("spark.executor.memory", "600m"), tmp.resolve("cluster.log"));

    // The reference, in this JVM while the cluster's run starts up.
    LocalSpark.stop();
    Path local = Files.createDirectories(tmp.resolve("local"));
    SparkSession spark = SparkSession.builder().master("local[2]").appName("local reference")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      assertEquals(2, WinePipelineApp.run(spark, CSV, local), "the CSV is read in two partitions");
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertArrayEquals(weights(local), weights(remote), "bit-identical weights to the local[2] run");
    assertEquals(Files.readString(local.resolve("predictions.txt")),
        Files.readString(remote.resolve("predictions.txt")));
    assertEquals(178, Files.readAllLines(remote.resolve("predictions.txt")).size());
  }
}
