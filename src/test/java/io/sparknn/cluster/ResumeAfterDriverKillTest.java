package io.sparknn.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.jobs.TrainJob;
import io.sparknn.report.MetricsLog;
import io.sparknn.run.RunDirectory;
import java.io.File;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training driver killed with SIGKILL mid-run (a real {@code kill}, not a flag) and continued with
 * {@code --resume RUN_DIR} ends with weights bit-identical to an uninterrupted run, and reports the same
 * {@code train_loss} for every epoch.
 */
class ResumeAfterDriverKillTest {
  @TempDir
  Path tmp;

  private static List<String> args(Path run) {
    return new ArrayList<>(List.of("--config", Paths.get("conf/mnist-mlp.yaml").toAbsolutePath().toString(),
        "--set", "output.run=" + run, "--set", "data.limit=4000", "--set", "data.validation=500",
        "--set", "epochs=3", "--set", "batch_size=100", "--set", "data.partitions=2",
        "--set", "output.charts=false", "--set", "checkpoint.every_iterations=7", "--set", "checkpoint.keep=2"));
  }

  private static JavaSparkContext localSpark() {
    return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("resume test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aKilledDriverResumesFromItsLastCheckpointBitIdentically() throws Exception {
    Path reference = tmp.resolve("reference");
    JavaSparkContext sc = localSpark();
    try {
      TrainJob.train(args(reference).toArray(new String[0]), sc);
    } finally {
      sc.stop();
    }

    // The same run as its own driver process, killed once it has written two checkpoints.
    Path run = tmp.resolve("killed");
    Path log = tmp.resolve("driver.log");
    Process driver = launchDriver(args(run), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (checkpoints(run) < 2 && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(driver.isAlive(), () -> "the driver ended before it could be killed:\n"
        + StandaloneCluster.tail(log, 40));
    driver.destroyForcibly();
    driver.waitFor(30, TimeUnit.SECONDS);
    assertTrue(!Files.exists(run.resolve(RunDirectory.FINISHED)), "the killed run did not finish");

    sc = localSpark();
    try {
      TrainJob.train(new String[] {"--resume", run.toString()}, sc);
    } finally {
      sc.stop();
    }
    assertArrayEquals(Files.readAllBytes(reference.resolve("model/weights.bin")),
        Files.readAllBytes(run.resolve("model/weights.bin")), "resumed weights equal uninterrupted weights");
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(4, lines.size(), "one line per epoch and the final line, none twice: " + lines);
    List<Map<String, Object>> expected = MetricsLog.read(reference.resolve("metrics.jsonl"));
    assertEquals(expected.get(3).get("test_accuracy"), lines.get(3).get("test_accuracy"));
    // The interrupted epoch's train_loss averages all its iterations, those before the kill included.
    for (int e = 0; e < 3; e++) {
      assertEquals(expected.get(e).get("train_loss"), lines.get(e).get("train_loss"), "epoch " + (e + 1));
    }
  }

  private static long checkpoints(Path run) throws Exception {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count();
    }
  }

  /** {@code SparkSubmit --master local[2] --class TrainJob} in a JVM of its own. */
  private static Process launchDriver(List<String> jobArgs, Path log) throws Exception {
    Path home = Paths.get("target", "spark-home").toAbsolutePath();
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(StandaloneCluster.SHORT_LIVED_JVM);
    cmd.addAll(StandaloneCluster.jvmFlags());
    cmd.add("-cp");
    cmd.add(Paths.get("target", "classes").toAbsolutePath() + File.pathSeparator + home.resolve("jars") + "/*");
    cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--conf",
        "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--class", "io.sparknn.jobs.TrainJob",
        "spark-internal"));
    cmd.addAll(jobArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    return pb.start();
  }
}
