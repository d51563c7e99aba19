package io.sparknn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import io.sparknn.tensor.Blas;
import io.sparknn.train.spark.Exchange;
import io.sparknn.train.spark.PartitionJobs;
import io.sparknn.train.spark.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark harness, {@code jobs/bench.sh [--quick] [options]}: in one invocation on one machine,
 * back to back, (1) sparknn's {@code SparkTrainer} on MNIST ({@link SparknnBench}), (2) the same runs with
 * {@code LocalTrainer} in JVMs of their own and (4) the bare gemms ({@link LocalBench}), a bare Spark job with and
 * without the weight round trip ({@link SparkOverheadBench}), (5) PyTorch if installed ({@link TorchBench}) and
 * (3) Spark MLlib's MLP ({@link MllibBench}), and with {@code --cluster WxC,...} (6) the iteration's breakdown
 * on the local session and on standalone clusters started on 127.0.0.1 ({@link ClusterBench},
 * {@link ClusterReport}). It prints one table and writes {@code runs/bench-<timestamp>/}
 * ({@link BenchReport}). A section that fails is recorded and the rest still run. Exit codes: 0 done (whatever
 * the targets say), 2 bad arguments, 1 anything else.
 */
public final class BenchJob {
  private BenchJob() {}

  public static void main(String[] args) {
    JobMain.exit("BenchJob", () -> run(args, BenchOptions.parse(args)));
  }

  static Path run(String[] args, BenchOptions o) {
    if (o.reportOnly() != null) {
      Path dir = Path.of(o.reportOnly());
      BenchResults results = BenchReport.load(dir);
      BenchReport.write(dir, results);
      System.out.println(BenchReport.markdown(results, BenchReport.rows(results), BenchReport.targets(results)));
      String clusters = ClusterReport.rewrite(dir, StepBenchmark.SEED_MLP.build(0).parameterCount());
      if (clusters != null) {
        System.out.println(clusters);
      }
      return dir;
    }
    String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = Path.of(o.out(), "bench-" + started + (o.quick() ? "-quick" : ""));
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir + ": " + e.getMessage(), e);
    }
    MachineLoad.Sample begin = MachineLoad.sample();
    System.err.println("bench: /proc/loadavg " + begin.loadavg() + " on " + MachineLoad.cpus() + " CPUs");
    warnIfBusy(begin.loadavg());
    Dataset[] mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    Dataset train = mnist[0];
    Dataset test = mnist[1];
    Collected c = new Collected(dir, o.plans(train.rows()), train.rows());
    JavaSparkContext sc = SparkSetup.start("sparknn bench");
    try {
      int partitions = o.partitions() > 0 ? o.partitions() : sc.defaultParallelism();
      c.env.putAll(environment(args, o, sc, partitions, c.plans, begin));
      try (PartitionedDataset trainParts = PartitionedDataset.distribute(sc, train, partitions, "bench-train");
          PartitionedDataset testParts = PartitionedDataset.distribute(sc, test, partitions, "bench-test")) {
        if (o.runs("sparknn")) {
          c.section("1. sparknn on Spark", () -> SparknnBench.run(sc, trainParts, test, c.plans, o),
              r -> c.sparknn = r);
        }
        for (int threads : o.localThreads()) {
          c.section("2+4. LocalTrainer and gemm, " + threads + " BLAS thread(s)",
              () -> LocalBench.inChildJvm(args, threads, partitions, dir), c.local::add);
        }
        if (o.runs("overhead")) {
          int weights = StepBenchmark.SEED_MLP.build(0).parameters().length;
          c.section("2. bare Spark jobs", () -> SparkOverheadBench.run(sc, partitions, weights, o.bareJobs()),
              r -> c.overhead = r);
        }
        if (o.runs("torch")) {
          c.section("5. PyTorch", () -> TorchBench.run(c.plans, o), r -> c.torch = r);
        }
        if (o.runs("mllib")) {
          SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
          c.section("3. MLlib MLP", () -> MllibBench.run(spark, trainParts, testParts, o), r -> c.mllib = r);
        }
        if (!o.clusters().isEmpty()) {
          c.section("6. " + sc.master() + ": the iteration's breakdown",
              () -> ClusterBench.local(sc, trainParts, o, c.overhead, c.sparknn), c.clusters::add);
        }
      }
      MachineLoad.Sample end = MachineLoad.sample();
      c.load.add(MachineLoad.between("whole run", begin, end));
      c.env.put("loadavg after", end.loadavg());
      c.env.put("finished", LocalDateTime.now().toString());
      if (!c.torch.reports().isEmpty()) {
        JsonNode first = c.torch.reports().get(0);
        c.env.put("PyTorch", first.path("torch_version").asText() + ", " + first.path("threads").asInt()
            + " threads, OMP_WAIT_POLICY=" + first.path("omp_wait_policy").asText() + ", LD_LIBRARY_PATH="
            + first.path("ld_library_path").asText() + ", BLAS " + first.path("blas").path("loaded_libraries"));
      }
      BenchResults results = c.save();
      BenchReport.write(dir, results);
      System.out.println(BenchReport.markdown(results, BenchReport.rows(results), BenchReport.targets(results)));
      if (!o.clusters().isEmpty()) {
        sc.stop();   // one SparkContext per JVM: each cluster gets its own
        Map<String, List<ClusterBench.Setup>> visits = new LinkedHashMap<>();
        for (int v = 1; v <= o.clusterVisits(); v++) {
          int visit = v;
          for (String spec : o.clusters()) {
            c.section("6. cluster " + spec + (o.clusterVisits() > 1 ? ", visit " + visit : ""),
                () -> ClusterBench.cluster(spec, train, test, o, dir, visit),
                s -> visits.computeIfAbsent(spec, k -> new ArrayList<>()).add(s));
          }
        }
        visits.values().forEach(v -> c.clusters.add(ClusterVisits.merge(v)));
        if (!c.clusters.isEmpty()) {
          System.out.println(ClusterReport.write(dir, c.clusters, List.copyOf(visits.values()),
              StepBenchmark.SEED_MLP.build(0).parameterCount()));
        }
      }
      System.out.println("bench: written to " + dir.toAbsolutePath());
      return dir;
    } finally {
      sc.stop();
    }
  }

  /** What the run has measured so far; saved to {@code results.json} after every section. */
  private static final class Collected {
    final Path dir;
    final List<BatchPlan> plans;
    final long trainRows;
    final Map<String, Object> env = new LinkedHashMap<>();
    final Map<String, Object> errors = new LinkedHashMap<>();
    final List<MachineLoad.Section> load = new ArrayList<>();
    final List<LocalBench.Results> local = new ArrayList<>();
    List<TrainingRun> sparknn = List.of();
    SparkOverheadBench.Result overhead;
    List<MllibBench.Fit> mllib = List.of();
    TorchBench.Result torch = new TorchBench.Result(List.of(), List.of(), "skipped (--skip torch)");
    final List<ClusterBench.Setup> clusters = new ArrayList<>();

    Collected(Path dir, List<BatchPlan> plans, long trainRows) {
      this.dir = dir;
      this.plans = plans;
      this.trainRows = trainRows;
    }

    BenchResults save() {
      Map<String, Object> e = new LinkedHashMap<>(env);
      if (!errors.isEmpty()) {
        e.put("section errors", new LinkedHashMap<>(errors));
      }
      BenchResults r = new BenchResults(e, plans, trainRows, sparknn, local, overhead, mllib, torch.runs(),
          torch.unavailable(), load);
      BenchReport.save(dir, r);
      return r;
    }

    /** Runs one section and stores its result, or records its failure; records the load; saves. */
    <T> void section(String name, Supplier<T> body, Consumer<T> store) {
      MachineLoad.Sample before = MachineLoad.sample();
      System.err.println("bench: === " + name + " (loadavg " + before.loadavg() + ")");
      try {
        store.accept(body.get());
      } catch (RuntimeException e) {
        System.err.println("bench: section '" + name + "' failed: " + e);
        e.printStackTrace();
        errors.put(name, e.toString());
      }
      MachineLoad.Section s = MachineLoad.between(name, before, MachineLoad.sample());
      load.add(s);
      System.err.printf("bench: === %s took %.0f s; loadavg %s -> %s, other processes used %s of the CPUs%n", name,
          s.wallSeconds(), s.loadavgBefore(), s.loadavgAfter(),
          s.otherCpuShare() == null ? "?" : Math.round(100 * s.otherCpuShare()) + "%");
      save();
    }
  }

  private static Map<String, Object> environment(String[] args, BenchOptions o, JavaSparkContext sc,
      int partitions, List<BatchPlan> plans, MachineLoad.Sample begin) {
    SparkConf conf = sc.getConf();
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("command", ("jobs/bench.sh " + String.join(" ", args)).trim());
    env.put("started", LocalDateTime.now().toString());
    env.put("quick (smoke run, not for quoting)", o.quick());
    env.put("CPUs", MachineLoad.cpus());
    env.put("loadavg before", begin.loadavg());
    env.put("BLAS (netlib, driver and local[*] executors)", Blas.implementation());
    env.put("OPENBLAS_NUM_THREADS (Spark JVM)", System.getenv("OPENBLAS_NUM_THREADS"));
    env.put("LocalTrainer JVMs' OPENBLAS_NUM_THREADS", o.localThreads());
    env.put("partitions", partitions);
    env.put("Spark", sc.version() + ", master " + sc.master() + ", default parallelism " + sc.defaultParallelism()
        + ", " + partitions + " partitions");
    env.put("Spark settings", "spark.task.maxDirectResultSize=" + conf.get("spark.task.maxDirectResultSize", "")
        + ", spark.broadcast.compress=" + conf.get("spark.broadcast.compress", "") + ", spark.serializer="
        + conf.get("spark.serializer", "default (Java)") + ", " + PartitionJobs.SAME_JVM_RESULTS_KEY + "="
        + conf.get(PartitionJobs.SAME_JVM_RESULTS_KEY, "true (default)") + ", " + WireFormat.KEY + "="
        + conf.get(WireFormat.KEY, "float64 (default)") + ", " + Exchange.KEY + "="
        + conf.get(Exchange.KEY, "jobs (default)"));
    env.put("dtype", "sparknn " + (o.compute().equals("float32")
        ? "float32 compute in every Linear (sgemm; weights, gradients and the optimizer in float64)" : "float64")
        + " (Spark and LocalTrainer); PyTorch " + o.torchDtypes());
    env.put("model", "784-196-98-10 LeakyReLU(0.03), SoftMax + ClassNLL, SGD momentum " + BatchPlan.MOMENTUM
        + ", seed " + o.seed() + (o.localSteps() == 1 ? "" : "; sparknn's timed runs with " + o.localSteps()
        + " local steps per synchronisation (the driver's momentum step once a round)"));
    List<String> p = plans.stream().map(BatchPlan::label).toList();
    env.put("batch plans", p);
    env.put("large-batch rule", "batches >= " + o.scaleFrom() + ": lr = 0.1 x batch / " + o.scaleBase()
        + ", LinearWarmup over " + o.warmupEpochs() + " epochs");
    env.put("epochs", "at most " + o.maxEpochs() + "; a run stops early once 97% and 98% are reached after at least "
        + o.minEpochs() + " epochs, or after " + o.maxSeconds() + " training seconds (checked at epoch ends)");
    env.put("evaluation", "official 10k test set, in the driver JVM on a copy of the weights (Evaluator), clock "
        + "paused, every ~" + o.evalEverySamples() + " samples and at each epoch end");
    env.put("eval every samples", o.evalEverySamples());
    env.put("Java", System.getProperty("java.version") + " " + System.getProperty("java.vm.name"));
    env.put("Java flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return env;
  }

  private static void warnIfBusy(String loadavg) {
    try {
      double one = Double.parseDouble(loadavg.split(" ")[0]);
      if (one > 0.5 * MachineLoad.cpus()) {
        System.err.printf("bench: WARNING: 1-minute load %.2f on %d CPUs: other work is running, figures will be "
            + "noisy (recorded per section in the report)%n", one, MachineLoad.cpus());
      }
    } catch (RuntimeException e) {
      // no /proc/loadavg: nothing to warn about
    }
  }
}
