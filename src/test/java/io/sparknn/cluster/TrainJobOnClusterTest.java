package io.sparknn.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.jobs.TrainJob;
import io.sparknn.report.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TrainJob} submitted to a real standalone cluster on 127.0.0.1 (master, two workers, executors in their
 * own JVMs: real serialization, real broadcast over the network), compared with the same run in local mode;
 * then the same run again with one executor JVM killed mid-training.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainJobOnClusterTest {
  private static final Duration APP_TIMEOUT = Duration.ofSeconds(240);
  private StandaloneCluster cluster;
  private Path appJar;
  private byte[] localWeights;

  @TempDir
  Path tmp;

  @BeforeAll
  void startCluster() {
    cluster = StandaloneCluster.start(2, 1, "1g");
    appJar = StandaloneCluster.buildAppJar(Paths.get("target", "classes"), cluster.logDir().resolve("sparknn.jar"));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> args(Path run, String... extra) {
    List<String> a = new ArrayList<>(List.of("--config", Paths.get("conf/mnist-mlp.yaml").toAbsolutePath().toString(),
        "--set", "output.run=" + run, "--set", "data.dir=" + Paths.get("data/mnist").toAbsolutePath(),
        "--set", "data.limit=4000", "--set", "data.validation=500", "--set", "epochs=2",
        "--set", "batch_size=100", "--set", "data.partitions=2", "--set", "output.charts=false"));
    a.addAll(List.of(extra));
    return a;
  }

  private byte[] localRun() throws Exception {
    if (localWeights == null) {
      Path run = tmp.resolve("local");
      SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("local reference")
          .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
      JavaSparkContext sc = new JavaSparkContext(conf);
      try {
        TrainJob.train(args(run).toArray(new String[0]), sc);
      } finally {
        sc.stop();
      }
      localWeights = Files.readAllBytes(run.resolve("model/weights.bin"));
    }
    return localWeights;
  }

  private Process submit(Path run, Path log, String... extra) {
    return cluster.submit(appJar, "io.sparknn.jobs.TrainJob", args(run, extra),
        Map.of("spark.executor.memory", "700m", "spark.task.maxFailures", "4"), log);
  }

  @Test
  @Order(1)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void trainingOnTheClusterLowersTheLossAndEqualsALocalRun() throws Exception {
    Path run = tmp.resolve("cluster");
    Path log = tmp.resolve("cluster.log");
    Process p = submit(run, log);
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    double first = ((Number) lines.get(0).get("train_loss")).doubleValue();
    double second = ((Number) lines.get(1).get("train_loss")).doubleValue();
    assertTrue(second < first, "loss falls: " + first + " -> " + second);
    assertArrayEquals(localRun(), Files.readAllBytes(run.resolve("model/weights.bin")),
        "the cluster run's weights are bit-identical to the local[2] run's");
  }

  @Test
  @Order(2)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void killingAnExecutorMidTrainingStillEndsBitIdentical() throws Exception {
    Path run = tmp.resolve("killed");
    Path log = tmp.resolve("killed.log");
    // Checkpoints every 10 iterations mark progress; the kill comes after the first one.
    Process p = submit(run, log, "--set", "checkpoint.every_iterations=10");
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!hasCheckpoint(run) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(p.isAlive(), () -> "the run ended before an executor could be killed\n" + cluster.diagnostics(p));
    long killed = cluster.killOneExecutor();
    assertTrue(killed > 0);
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertArrayEquals(localRun(), Files.readAllBytes(run.resolve("model/weights.bin")),
        "a run that lost an executor is bit-identical to an undisturbed one");
  }

  private static boolean hasCheckpoint(Path run) throws Exception {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(x -> x.getFileName().toString().startsWith("ckpt-"));
    }
  }
}
