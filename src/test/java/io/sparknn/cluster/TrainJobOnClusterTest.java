package io.sparknn.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.jobs.ConvertJob;
import io.sparknn.jobs.TrainJob;
import io.sparknn.report.MetricsLog;
import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.Exchange;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.IdxFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
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
 * own JVMs: real serialization, real broadcast over the network), compared with the same run in local mode:
 * under Kryo; with the gradients reduce-scattered through the shuffle and one executor JVM killed mid-training;
 * from Parquet (a bad table refused with exit 2); over the channel exchange losing an executor; over fixed row
 * shards with the channel's tasks adding the gradient slice by slice among themselves; in rounds of local steps.
 * The runs are small (1,500 rows in 2 partitions, a few dozen iterations): what is checked is bits, not accuracy.
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
    cluster = SharedCluster.twoWorkers();
    appJar = StandaloneCluster.buildAppJar(cluster.logDir().resolve("sparknn.jar"),
        List.of(Paths.get("target", "classes"), faultLogClasses(cluster.logDir().resolve("fault-log-classes"))));
  }

  private static List<String> args(Path run, String... extra) {
    List<String> a = new ArrayList<>(List.of("--config", Paths.get("conf/mnist-mlp.yaml").toAbsolutePath().toString(),
        "--set", "output.run=" + run, "--set", "data.dir=" + Paths.get("data/mnist").toAbsolutePath(),
        "--set", "data.limit=1500", "--set", "data.validation=300", "--set", "epochs=2",
        "--set", "batch_size=100", "--set", "data.partitions=2", "--set", "output.charts=false"));
    a.addAll(List.of(extra));
    return a;
  }

  private byte[] localRun() throws Exception {
    if (localWeights == null) {
      localWeights = localReference("local", "local[2]");
    }
    return localWeights;
  }

  /** The weights of a run of the job in {@code master} with {@code extra} overrides: a cluster run's reference. */
  private byte[] localReference(String name, String master, String... extra) throws Exception {
    Path local = tmp.resolve(name);
    LocalTrainJob.run(master, name, args(local, extra));
    return Files.readAllBytes(local.resolve("model/weights.bin"));
  }

  /** A class folder holding only {@link FaultLog}, for the driver's classpath (not the rest of the tests). */
  private static Path faultLogClasses(Path dir) {
    try {
      Path pkg = dir.resolve("io/sparknn/cluster");
      Files.createDirectories(pkg);
      Files.copy(Paths.get("target", "test-classes", "io/sparknn/cluster/FaultLog.class"),
          pkg.resolve("FaultLog.class"));
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code TrainJob} with {@code args}, its driver's output to {@code log}. */
  private Process submit(Path log, List<String> args, Map<String, String> conf) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("spark.executor.memory", "700m",
        "spark.task.maxFailures", "4"));
    all.putAll(conf);
    return cluster.submit(appJar, "io.sparknn.jobs.TrainJob", args, all, log);
  }

  private Process submit(Path run, Path log, Map<String, String> conf, String... extra) {
    return submit(log, args(run, extra), conf);
  }

  @Test
  @Order(1)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void underKryoTheLossFallsAndTheRunEqualsALocalRun() throws Exception {
    // On a cluster task results always travel serialised (no same-JVM hand-off): with Kryo as the serializer
    // every PartitionResult and Evaluation goes through it. The other runs here use Java serialization.
    Path run = tmp.resolve("kryo");
    Path log = tmp.resolve("kryo.log");
    Process p = submit(run, log, Map.of("spark.serializer", "org.apache.spark.serializer.KryoSerializer",
        Exchange.KEY, "jobs"));
    byte[] reference = localRun();   // in this JVM while the cluster's run starts up
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertTrue(Files.readString(log).contains("exchange jobs"), "the run's log says 'exchange jobs'");
    assertArrayEquals(reference, Files.readAllBytes(run.resolve("model/weights.bin")),
        "the cluster run under Kryo is bit-identical to the local[2] run");
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    double first = ((Number) lines.get(0).get("train_loss")).doubleValue();
    double second = ((Number) lines.get(1).get("train_loss")).doubleValue();
    assertTrue(second < first, "loss falls: " + first + " -> " + second);
  }

  @Test
  @Order(2)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void losingAnExecutorWhileGradientSlicesCrossTheShuffleStillEndsBitIdentical() throws Exception {
    // Gradient slices cross executors through the shuffle and are summed on the reducers; the local reference
    // sums whole results on the driver (local mode's default path). Checkpoints every 5 iterations mark
    // progress; an executor is killed after the first one, 19 iterations before the end.
    Path run = tmp.resolve("killed");
    Path log = tmp.resolve("killed.log");
    Path faults = tmp.resolve("faults.log");
    Process p = submit(run, log, Map.of("spark.extraListeners", FaultLog.class.getName(), FaultLog.FILE_KEY,
        faults.toString(), Exchange.KEY, "jobs", Aggregation.KEY, "sliced"), "--set", "checkpoint.every_iterations=5");
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!hasCheckpoint(run) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(p.isAlive(), () -> "the run ended before an executor could be killed\n" + cluster.diagnostics(p));
    long killed = cluster.killOneExecutor();
    assertTrue(killed > 0);
    byte[] reference = localRun();
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertTrue(Files.readString(log).contains("exchange jobs, aggregation sliced"), "the run summed slices");
    assertArrayEquals(reference, Files.readAllBytes(run.resolve("model/weights.bin")),
        "a run that lost an executor is bit-identical to an undisturbed one");

    // The driver saw the executor go, and the cached partitions it held were stored again on another executor:
    // read again from the files, not merely replaced by data cached later (the test set).
    List<String> seen = Files.readAllLines(faults);
    int removed = -1;
    for (int i = 0; i < seen.size() && removed < 0; i++) {
      removed = seen.get(i).startsWith("executor-removed ") ? i : -1;
    }
    assertTrue(removed >= 0, "no executor-removed event: " + seen);
    String lost = seen.get(removed).split(" ")[1];
    java.util.Set<String> held = new java.util.HashSet<>();
    for (String l : seen.subList(0, removed)) {
      String[] f = l.split(" ");
      if (f[0].equals("rdd-block") && f[2].equals(lost)) {
        held.add(f[1]);
      }
    }
    assertTrue(!held.isEmpty(), "the lost executor held no cached partition: " + seen);
    assertTrue(seen.subList(removed + 1, seen.size()).stream().map(l -> l.split(" "))
        .anyMatch(f -> f[0].equals("rdd-block") && held.contains(f[1]) && !f[2].equals(lost)),
        "none of " + held + " was computed again after the loss: " + seen);
  }

  private static List<String> parquetArgs(Path run, String train, String test, String... extra) {
    List<String> a = new ArrayList<>(List.of("--config",
        Paths.get("conf/mnist-parquet.yaml").toAbsolutePath().toString(), "--set", "output.run=" + run,
        "--set", "data.train=" + train, "--set", "data.test=" + test, "--set", "data.validation=300",
        "--set", "epochs=1", "--set", "batch_size=100", "--set", "data.partitions=2", "--set",
        "output.charts=false"));
    a.addAll(List.of(extra));
    return a;
  }

  @Test
  @Order(3)
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void fromParquetTheClusterRunEqualsALocalRunAndABadTableExitsTwoLeavingNothing() throws Exception {
    Path idx = tmp.resolve("idx");
    String parquet = tmp.resolve("parquet").toString();
    String bad = tmp.resolve("bad.parquet").toString();
    Path local = tmp.resolve("parquet-local");
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("parquet reference")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
    Path run = tmp.resolve("parquet-cluster");
    Process p;
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      IdxFixtures.write(idx, Datasets.mnistTrain(1500), Datasets.mnistTest(300));
      ConvertJob.convert(new String[] {parquet, idx.toString()}, sc);
      // The same rows as one file, with one label out of range.
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      spark.read().parquet(parquet + "/train").coalesce(1).withColumn("label", org.apache.spark.sql.functions.expr(
          "if(monotonically_increasing_id() = 1000, 12.0, label)")).write().parquet(bad);
      p = submit(tmp.resolve("parquet.log"), parquetArgs(run, parquet + "/train", parquet + "/test"), Map.of());
      TrainJob.train(parquetArgs(local, parquet + "/train", parquet + "/test").toArray(new String[0]), sc);
    } finally {
      sc.stop();
    }
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertArrayEquals(Files.readAllBytes(local.resolve("model/weights.bin")),
        Files.readAllBytes(run.resolve("model/weights.bin")),
        "from Parquet, the cluster run's weights are bit-identical to the local[2] run's");

    // An executor finds the bad label; its DataFileException reaches the driver in the cause chain: exit 2.
    Path refused = tmp.resolve("parquet-refused");
    Path log = tmp.resolve("refused.log");
    Process q = submit(log, parquetArgs(refused, bad, parquet + "/test", "--set", "data.classes=10"), Map.of());
    assertEquals(2, cluster.waitFor(q, APP_TIMEOUT), () -> cluster.diagnostics(q));
    String out = Files.readString(log);
    assertTrue(out.contains("TrainJob: error: " + bad + ": column 'label' at row 1000 of partition 0 is 12.0"),
        out);
    assertTrue(!Files.exists(refused), "no run directory");
  }

  @Test
  @Order(4)
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void theChannelExchangeSurvivesALostExecutorAndEqualsALocalRunOfOneJobPerIteration() throws Exception {
    // Long-lived barrier tasks linked to the driver over TCP; an executor is killed mid-epoch, the stage is
    // replaced and the interrupted iteration rerun. The reference is local[2] with one job per iteration.
    Path run = tmp.resolve("channel");
    Path log = tmp.resolve("channel.log");
    Path faults = tmp.resolve("channel-faults.log");
    Process p = submit(run, log, Map.of(Exchange.KEY, "channel", "spark.extraListeners", FaultLog.class.getName(),
        FaultLog.FILE_KEY, faults.toString()), "--set", "batch_size=25", "--set", "checkpoint.every_iterations=10");
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!hasCheckpoint(run) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(p.isAlive(), () -> "the run ended before an executor could be killed\n" + cluster.diagnostics(p));
    assertTrue(cluster.killOneExecutor() > 0);
    byte[] reference = localReference("channel-local", "local[2]", "--set", "batch_size=25");
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    String out = Files.readString(log);
    assertTrue(out.contains("exchange channel, aggregation direct (2 partitions"), "the run used the channel");
    assertTrue(out.contains("again in a new stage (restart 1 of at most 3)"), "the broken stage was replaced:\n" + out);
    assertTrue(Files.readAllLines(faults).stream().anyMatch(l -> l.startsWith("executor-removed ")),
        "the driver saw the executor go");
    assertArrayEquals(reference, Files.readAllBytes(run.resolve("model/weights.bin")),
        "the channel run that lost an executor is bit-identical to the local run of one job per iteration");
  }

  @Test
  @Order(5)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void overFixedShardsTwoExecutorsAddingTheSumsAmongThemselvesEndInTheBitsOfOnePartitionInOneJvm()
      throws Exception {
    // The reference is a laptop's run: the driver alone, the data in one partition. On the cluster two executors
    // hold four shards each, link up over TCP, gather the weights from the slices the driver sent the other, and
    // each adds one slice of the gradient along the shards' tree.
    Path run = tmp.resolve("shards");
    Path log = tmp.resolve("shards.log");
    Process p = submit(run, log, Map.of(Exchange.KEY, "channel", Aggregation.KEY, "sliced"), "--set", "shards=8");
    byte[] oneJvm = localReference("shards-local", "local[1]", "--set", "shards=8", "--set", "data.partitions=1");
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    String logged = Files.readString(log);
    assertTrue(logged.contains("exchange channel, aggregation sliced (2 partitions")
        && logged.contains(") over 8 fixed row shards"), "the run's log names the channel, 2 partitions, 8 shards");
    assertArrayEquals(oneJvm, Files.readAllBytes(run.resolve("model/weights.bin")),
        "2 executors over 8 fixed shards end bit-identical to one partition in one JVM");
    assertFalse(Arrays.equals(oneJvm, localRun()), "the shards change the run: they are not the default's bits");
  }

  @Test
  @Order(6)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void roundsOfLocalStepsOverTheChannelWhoseTasksAddTheSumsEqualALocalRun() throws Exception {
    // Each executor takes 4 steps on its own between synchronisations, and the two add their displacements
    // slice by slice over TCP; the reference is a local[2] run with the same rounds.
    String[] rounds = {"--set", "optimizer.local_steps=4"};
    Path run = tmp.resolve("rounds");
    Path log = tmp.resolve("rounds.log");
    Process p = submit(run, log, Map.of(Aggregation.KEY, "sliced", Exchange.KEY, "channel"), rounds);
    byte[] oneJvm = localReference("rounds-local", "local[2]", rounds);
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertTrue(Files.readString(log).contains("exchange channel, aggregation sliced (2 partitions"),
        "the run's log names the channel whose tasks add the sums");
    assertArrayEquals(oneJvm, Files.readAllBytes(run.resolve("model/weights.bin")),
        "the cluster's rounds end bit-identical to local[2]'s");
    assertFalse(Arrays.equals(oneJvm, localRun()), "local steps change the run: they are not the default's bits");
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
