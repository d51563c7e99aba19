package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.run.LoopbackCluster;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.Exchange;
import io.sparknn.train.spark.WeightsShipment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockManagerId;

/**
 * The harness on real clusters, {@code jobs/bench.sh --cluster 2x1,4x1,8x1}: after the local sections, for each
 * {@code WxC} a standalone cluster of {@code W} workers with {@code C} cores on 127.0.0.1
 * ({@link LoopbackCluster}, executors in JVMs of their own), or with {@code --cluster-master} an application of
 * {@code W} executors of {@code C} cores on a running cluster, and a Spark session on it with {@code W·C}
 * partitions; on it, and on the local session first, the bare jobs ({@link SparkOverheadBench}), the
 * iteration's breakdown at every batch size through both aggregation paths and the channel exchange
 * ({@link IterationBreakdown}), and, where the executors are not oversubscribed (their cores within the CPUs
 * they share with the driver, or hosts of their own), the timed training runs of section 1
 * ({@link SparknnBench}; an oversubscribed cluster's seconds measure the machine, not Spark). The report is
 * {@link ClusterReport}.
 */
final class ClusterBench {
  /**
   * One session's figures.
   *
   * @param where {@code local[*]} or {@code cluster WxC}
   * @param oversubscribed more executor cores than the CPUs they share with the driver: judge bytes, not seconds
   * @param sharedCpus the CPUs of the machine the driver and every executor ran on, 0 when the executors ran on
   *     hosts of their own (the model's critical path then needs no turns on shared CPUs), or −1 when only some
   *     did (no model fits that); null in results saved before it was recorded, which ran on 127.0.0.1
   */
  record Setup(String where, int workers, int cores, int partitions, boolean oversubscribed,
      SparkOverheadBench.Result overhead, List<IterationBreakdown> breakdowns, List<TrainingRun> runs,
      MachineLoad.Section load, Integer sharedCpus) {}

  private ClusterBench() {}

  /** The local session's figures, measured on {@code sc} and the data already distributed on it. */
  static Setup local(JavaSparkContext sc, PartitionedDataset train, BenchOptions o, SparkOverheadBench.Result overhead,
      List<TrainingRun> runs) {
    MachineLoad.Sample before = MachineLoad.sample();
    int p = train.rdd().getNumPartitions();
    String where = sc.master();
    SparkOverheadBench.Result bare = overhead != null ? overhead
        : SparkOverheadBench.run(sc, p, weights(o), o.bareJobs());
    List<IterationBreakdown> b = breakdowns(sc, where, train, o);
    return new Setup(where, 1, p, p, false, bare, b, runs, MachineLoad.between(where, before, MachineLoad.sample()),
        MachineLoad.cpus());
  }

  /**
   * One cluster {@code spec} ({@code WxC}) started (or, with {@code --cluster-master}, taken from the running
   * cluster as one application), measured and stopped, on its {@code visit}-th visit (the timed training runs on
   * the first only); {@code dir} gets a started cluster's logs.
   */
  static Setup cluster(String spec, Dataset train, Dataset test, BenchOptions o, Path dir, int visit) {
    String[] wc = spec.toLowerCase(java.util.Locale.ROOT).split("x");
    int workers = Integer.parseInt(wc[0]);
    int cores = Integer.parseInt(wc[1]);
    int p = workers * cores;
    String where = "cluster " + workers + "x" + cores;
    MachineLoad.Sample before = MachineLoad.sample();
    System.err.println("bench: === " + where + (o.clusterMaster() != null ? " on " + o.clusterMaster() : ""));
    try (LoopbackCluster started = o.clusterMaster() != null ? null : LoopbackCluster.start(
        LoopbackCluster.projectSparkHome(Path.of(System.getenv().getOrDefault("SPARKNN_HOME", "."))), workers, cores,
        "1g", dir.resolve("cluster-" + workers + "x" + cores + (visit > 1 ? "-visit" + visit : "")).toAbsolutePath())) {
      SparkConf conf = new SparkConf().setAppName("sparknn bench " + where)
          .set("spark.cores.max", String.valueOf(p)).set("spark.executor.cores", String.valueOf(cores))
          .set("spark.ui.enabled", "false");
      if (started != null) {
        conf.setMaster(started.masterUrl()).set("spark.executor.memory", "700m")
            .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
      } else {
        // the driver's address and the executors' memory are the submitter's (--conf), as for any application
        conf.setMaster(o.clusterMaster());
      }
      conf.remove("spark.driver.port");
      conf.remove("spark.app.id");
      SparkSetup.settings().forEach(conf::setIfMissing);
      JavaSparkContext sc = new JavaSparkContext(conf);
      try {
        awaitExecutors(sc, workers);
        List<String> hosts = executorHosts(sc);
        long local = hosts.stream().filter(ClusterBench::onThisMachine).count();
        // executors of which only some share the driver's CPUs take turns that no one rule describes
        boolean partly = local > 0 && local < hosts.size();
        int shared = local == 0 ? 0 : partly ? -1 : MachineLoad.cpus();
        boolean over = partly || local > 0 && p > shared;
        System.err.println("bench: " + where + ": " + (local == 0 ? "executors on hosts of their own"
            : partly ? "some executors on the driver's host, some not: judge bytes, not seconds"
            : "executors on the driver's host" + (over ? " (oversubscribed: " + p + " executor cores on " + shared
                + " CPUs; judge bytes, not seconds)" : "")) + " (hosts " + hosts + ")");
        try (PartitionedDataset parts = PartitionedDataset.distribute(sc, train, p, "bench-train")) {
          SparkOverheadBench.Result bare = SparkOverheadBench.run(sc, p, weights(o), o.bareJobs());
          List<IterationBreakdown> b = breakdowns(sc, where, parts, o);
          List<TrainingRun> runs = over || visit > 1 || !o.runs("sparknn") ? List.of()
              : SparknnBench.run(sc, parts, test, o.plans(train.rows()), o);
          return new Setup(where, workers, cores, p, over, bare, b, runs,
              MachineLoad.between(where, before, MachineLoad.sample()), shared);
        }
      } finally {
        sc.stop();
      }
    }
  }

  /** The executors' hosts as the scheduler knows them, the driver's own entry left out. */
  private static List<String> executorHosts(JavaSparkContext sc) {
    BlockManagerId driver = sc.sc().env().blockManager().blockManagerId();
    return Arrays.stream(sc.sc().statusTracker().getExecutorInfos())
        .filter(e -> !(e.host().equals(driver.host()) && e.port() == driver.port())).map(e -> e.host()).toList();
  }

  /**
   * Whether an executor's host, as the scheduler knows it, is this machine, sharing its CPUs with the driver: one
   * of its addresses (its loopback, or an interface's).
   */
  static boolean onThisMachine(String host) {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Every breakdown of the session, each measured in {@code --cluster-rounds} stretches of its iterations, the
   * breakdowns in turn (all of them, then all again …): a drift of the machine's speed over the session's minutes
   * falls on every path and batch alike, instead of on whichever was being measured.
   */
  private static List<IterationBreakdown> breakdowns(JavaSparkContext sc, String where, PartitionedDataset train,
      BenchOptions o) {
    TaskMetricsTotals totals = new TaskMetricsTotals();
    sc.sc().addSparkListener(totals);
    try {
      // Spark's per-iteration time keeps falling for a few hundred iterations (JIT, scheduler): warm up once.
      IterationBreakdown.stretch(sc, totals, where, train, o, o.clusterBatches().get(0), Exchange.JOBS,
          Aggregation.DIRECT, WeightsShipment.BROADCAST, false, 0, o.clusterWarmup());
      List<Kind> kinds = new ArrayList<>();
      for (int batch : o.clusterBatches()) {
        kinds.add(new Kind(batch, Exchange.JOBS, Aggregation.DIRECT, WeightsShipment.BROADCAST, false));
        kinds.add(new Kind(batch, Exchange.JOBS, Aggregation.DIRECT, WeightsShipment.BROADCAST, true));
        kinds.add(new Kind(batch, Exchange.JOBS, Aggregation.SLICED, WeightsShipment.BROADCAST, false));
        kinds.add(new Kind(batch, Exchange.JOBS, Aggregation.DIRECT, WeightsShipment.TASK_BINARY, false));
        kinds.add(new Kind(batch, Exchange.CHANNEL, Aggregation.DIRECT, WeightsShipment.BROADCAST, false));
        kinds.add(new Kind(batch, Exchange.CHANNEL, Aggregation.SLICED, WeightsShipment.BROADCAST, false));
      }
      int rounds = o.clusterRounds();
      List<List<IterationBreakdown.Stretch>> stretches = new ArrayList<>();
      kinds.forEach(k -> stretches.add(new ArrayList<>()));
      for (int r = 0; r < rounds; r++) {
        // the stretches share the iterations out; the first of each kind warms its path's code up untimed
        int iterations = o.clusterIterations() / rounds + (r < o.clusterIterations() % rounds ? 1 : 0);
        for (int k = 0; k < kinds.size(); k++) {
          Kind kind = kinds.get(k);
          stretches.get(k).add(IterationBreakdown.stretch(sc, totals, where, train, o, kind.batch, kind.how,
              kind.path, kind.ship, kind.blockingRemoval, r == 0 ? 20 : 0, iterations));
        }
      }
      return stretches.stream().map(IterationBreakdown::of).toList();
    } finally {
      sc.sc().removeSparkListener(totals);
    }
  }

  /** One breakdown's settings. */
  private record Kind(int batch, Exchange how, Aggregation path, WeightsShipment ship, boolean blockingRemoval) {}

  private static void awaitExecutors(JavaSparkContext sc, int workers) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (sc.sc().statusTracker().getExecutorInfos().length < workers + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + (sc.sc().statusTracker().getExecutorInfos().length - 1) + " of "
            + workers + " executors registered within 120 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static int weights(BenchOptions o) {
    return o.model().build(0).parameterCount();
  }
}
