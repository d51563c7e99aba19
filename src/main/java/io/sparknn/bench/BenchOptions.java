package io.sparknn.bench;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.Linear;
import io.sparknn.nn.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The harness's command line ({@code jobs/bench.sh --help} lists it). Defaults are the full benchmark;
 * {@code --quick} is a short smoke version whose figures are not to be quoted (one or two epochs, a few MLlib
 * iterations). Options given after {@code --quick} override its values.
 *
 * @param batches batch sizes, each run by every framework
 * @param scaleFrom batches at least this large get the linearly scaled rate and a warm-up
 * @param scaleBase the batch size whose rate is 0.1 in that rule: {@code lr = 0.1 · batch / scaleBase}
 * @param warmupEpochs length of that warm-up, in epochs
 * @param plans further plans with their own rate, {@code BATCH@LR[/WARMUP_EPOCHS]}, run after the batches'
 * @param maxEpochs epochs per training run at most
 * @param minEpochs epochs before a run may stop early for having reached every accuracy target
 * @param maxSeconds training seconds per run after which it stops at the end of an epoch (0: none)
 * @param evalEverySamples test evaluations about every this many training samples
 * @param partitions Spark partitions (0: the default parallelism); the local runs replay the same cut
 * @param localThreads OPENBLAS_NUM_THREADS of each LocalTrainer JVM
 * @param skip sections left out: sparknn, local, overhead, mllib, torch
 * @param mllibIters maximum iterations of the MLlib fits, one fresh fit each
 * @param mllibBudget seconds all MLlib fits may take together (a fit predicted to overrun is skipped)
 * @param bareJobs timed jobs of each bare-Spark measurement
 * @param torchDtypes dtypes of the PyTorch runs
 * @param compute arithmetic of sparknn's Linear layers on Spark and in the LocalTrainer JVMs: {@code float64}, or
 *     {@code float32} (sgemm on float copies, weights and gradients kept in float64; see {@code Linear})
 * @param torchOmpWait OMP_WAIT_POLICY of the PyTorch runs ({@code passive}, {@code active}, or {@code default} to
 *     leave it unset): on a busy machine libgomp's default spinning made torch 14× slower here
 * @param localOut internal: where a LocalTrainer child JVM writes its results
 * @param reportOnly a run directory whose {@code results.json} is rendered again instead of measuring
 * @param clusters standalone clusters {@code WxC} (workers x cores) to run on after the local sections
 *     ({@link ClusterBench}); empty: none
 * @param clusterBatches batch sizes of the iteration breakdowns (local session and clusters)
 * @param clusterIterations measured iterations of each breakdown on a cluster (and on the local session)
 * @param clusterWarmup untimed iterations before a session's first breakdown
 * @param clusterVisits how many times each cluster size is started and measured, the sizes in turn
 *     ({@link ClusterVisits}: the visits' figures averaged, each visit's iteration times shown)
 * @param clusterRounds how many stretches each breakdown's measured iterations are cut into, the breakdowns
 *     measured in turn within a session, so that a drift of the machine's speed falls on all of them alike
 * @param localSteps steps each partition takes on its own between synchronisations in sparknn's timed training
 *     runs, on Spark and in the LocalTrainer JVMs ({@code TrainingOptions.localSteps}; 1: synchronous SGD); the
 *     iteration breakdowns stay synchronous
 * @param clusterMaster a running standalone cluster's master URL ({@code spark://HOST:PORT}) whose executors the
 *     {@code clusters} sizes are taken from, one application per size, instead of clusters started on 127.0.0.1;
 *     null: start them here
 */
public record BenchOptions(boolean quick, List<Integer> batches, int scaleFrom, int scaleBase, double warmupEpochs,
    List<String> plans, int maxEpochs, int minEpochs, double maxSeconds, int evalEverySamples, long seed,
    int partitions, List<Integer> localThreads, Set<String> skip, List<Integer> mllibIters, List<String> mllibSolvers,
    double mllibBudget, int bareJobs, List<String> torchDtypes, String compute, String torchOmpWait, String python,
    String out, String localOut, String reportOnly, List<String> clusters, List<Integer> clusterBatches,
    int clusterIterations, int clusterWarmup, int clusterVisits, int clusterRounds, int localSteps,
    String clusterMaster) {
  static final Set<String> SECTIONS = Set.of("sparknn", "local", "overhead", "mllib", "torch");

  static final String USAGE = """
      usage: jobs/bench.sh [--quick] [options]
        --quick                    short smoke run (2 epochs, batches 128,1024, a few MLlib iterations); not for quoting
        --batches 128,1024,4096    batch sizes
        --scale-from 4096          batches >= this use lr 0.1*batch/SCALE_BASE with a linear warm-up
        --scale-base 1024          the batch size whose lr is 0.1 in that rule (128 gives 3.2 at 4096: collapses to 10%)
        --warmup-epochs 5          length of that warm-up
        --plans 512@0.2/0.5,1024@0.4/1   more plans: BATCH@LR[/WARMUP_EPOCHS] (rates tuned for time to 97%)
        --max-epochs 20            epochs per training run at most
        --min-epochs 3             a run stops once 97% and 98% are reached and this many epochs are done
        --max-seconds 240          training seconds per run, checked at epoch ends (0: no limit)
        --eval-every-samples 12800 test evaluation interval (clock paused), also the resolution of time-to-accuracy
        --seed 42                  --partitions 0 (0: Spark's default parallelism)
        --local-threads 1,2        OPENBLAS_NUM_THREADS of the LocalTrainer JVMs
        --mllib-iters 20,50,100    --mllib-solvers l-bfgs,gd   --mllib-budget 900 (seconds for all MLlib fits)
        --bare-jobs 300            timed jobs per bare-Spark measurement
        --torch-dtypes float32,float64   --python /usr/bin/python3
        --compute float64          sparknn's Linear arithmetic: float64 | float32 (float64 weights either way)
        --torch-omp-wait passive   OMP_WAIT_POLICY for PyTorch: passive | active | default (unset)
        --skip-mllib  --skip-torch  --skip sparknn,local,overhead,mllib,torch
        --out runs                 results go to OUT/bench-<timestamp>/
        --report-only DIR          render DIR/results.json (and DIR/cluster.json) of an earlier run again with the
                                   current code, measure nothing
        --cluster 2x1,4x1,8x1      after the local sections, also on standalone clusters of WORKERSxCORES on
                                   127.0.0.1 (needs target/spark-home: mvn -o process-test-classes); the
                                   iteration's breakdown and bytes through both aggregation paths, side by side
        --cluster-batches 128,1024 batch sizes of the breakdowns (the timed runs follow --batches/--plans)
        --cluster-iterations 150   measured iterations per breakdown   --cluster-warmup 300 (untimed, per session)
        --cluster-visits 1         start and measure each size this many times, the sizes in turn (2x1, 4x1,
                                   8x1, 2x1, …), and average: the machine's drift falls on every size alike
        --cluster-rounds 4         measure every breakdown in this many stretches, the breakdowns in turn
        --cluster-master URL       spark://HOST:7077: take the --cluster sizes from this running standalone
                                   cluster (one application of WORKERS executors x CORES each per size) instead
                                   of starting them on 127.0.0.1; executors on other hosts have CPUs of their
                                   own, so the model is checked in seconds at every size
        --local-steps 1            sparknn's timed runs take this many steps per partition between
                                   synchronisations (local SGD; 1: synchronous, the homework's loop)
      """;

  public BenchOptions {
    batches = List.copyOf(batches);
    plans = List.copyOf(plans);
    localThreads = List.copyOf(localThreads);
    skip = Set.copyOf(skip);
    mllibIters = List.copyOf(mllibIters);
    mllibSolvers = List.copyOf(mllibSolvers);
    torchDtypes = List.copyOf(torchDtypes);
    clusters = List.copyOf(clusters);
    clusterBatches = List.copyOf(clusterBatches);
    if (clusterBatches.isEmpty() || clusterBatches.stream().anyMatch(b -> b <= 0)) {
      throw new IllegalArgumentException("--cluster-batches needs positive sizes, got " + clusterBatches);
    }
    for (String c : clusters) {
      if (!c.matches("[1-9][0-9]*[xX][1-9][0-9]*")) {
        throw new IllegalArgumentException("--cluster: expected WORKERSxCORES such as 2x1, got '" + c + "'");
      }
    }
    if (clusterIterations < 2 || clusterWarmup < 0 || clusterVisits < 1) {
      throw new IllegalArgumentException("--cluster-iterations needs at least 2, --cluster-warmup at least 0 and "
          + "--cluster-visits at least 1");
    }
    if (clusterRounds < 1 || clusterIterations < 2 * clusterRounds) {
      throw new IllegalArgumentException("--cluster-rounds needs at least 1, and at most half of --cluster-iterations ("
          + clusterIterations + "), got " + clusterRounds);
    }
    String hostPort = "(\\[[0-9A-Fa-f:.]+\\]|[^\\s/:,\\[\\]]+):[0-9]+";
    if (clusterMaster != null && !clusterMaster.matches("spark://" + hostPort + "(," + hostPort + ")*")) {
      throw new IllegalArgumentException("--cluster-master: expected a standalone master's URL such as "
          + "spark://HOST:7077 (or spark://HOST1:7077,HOST2:7077 with standby masters), got '" + clusterMaster + "'");
    }
    if (clusterMaster != null && clusters.isEmpty()) {
      throw new IllegalArgumentException("--cluster-master needs --cluster: the sizes (EXECUTORSxCORES) to take "
          + "from it");
    }
    if (localSteps < 1) {
      throw new IllegalArgumentException("--local-steps needs at least 1 (1: synchronous SGD), got " + localSteps);
    }
    if (batches.isEmpty() || batches.stream().anyMatch(b -> b <= 0)) {
      throw new IllegalArgumentException("--batches needs positive sizes, got " + batches);
    }
    for (String plan : plans) {
      BatchPlan.parse(plan, 60_000);  // the format only; the warm-up is resolved against the real rows later
    }
    if (scaleBase < 1) {
      throw new IllegalArgumentException("--scale-base must be positive, got " + scaleBase);
    }
    if (maxEpochs < 1 || minEpochs < 1 || evalEverySamples < 1 || bareJobs < 1 || partitions < 0) {
      throw new IllegalArgumentException("--max-epochs, --min-epochs, --eval-every-samples and --bare-jobs must be"
          + " positive, --partitions >= 0");
    }
    for (String s : skip) {
      if (!SECTIONS.contains(s)) {
        throw new IllegalArgumentException("--skip: unknown section '" + s + "'; expected some of " + SECTIONS);
      }
    }
    for (String s : mllibSolvers) {
      if (!s.equals("l-bfgs") && !s.equals("gd")) {
        throw new IllegalArgumentException("--mllib-solvers: expected l-bfgs and/or gd, got '" + s + "'");
      }
    }
    if (!List.of("passive", "active", "default").contains(torchOmpWait)) {
      throw new IllegalArgumentException("--torch-omp-wait: expected passive, active or default, got '"
          + torchOmpWait + "'");
    }
    if (!Linear.COMPUTE.contains(compute)) {
      throw new IllegalArgumentException("--compute: expected one of " + Linear.COMPUTE + ", got '" + compute + "'");
    }
    for (String d : torchDtypes) {
      if (!d.equals("float32") && !d.equals("float64")) {
        throw new IllegalArgumentException("--torch-dtypes: expected float32 and/or float64, got '" + d + "'");
      }
    }
  }

  /** The full benchmark. */
  public static BenchOptions defaults() {
    return new BenchOptions(false, List.of(128, 1024, 4096), 4096, 1024, 5, List.of("512@0.2/0.5", "1024@0.4/1"),
        20, 3, 240, 12800, 42, 0, List.of(1, 2), Set.of(), List.of(20, 50, 100), List.of("l-bfgs", "gd"), 900, 300,
        List.of("float32", "float64"), "float64", "passive", "/usr/bin/python3", "runs", null, null, List.of(),
        List.of(128, 1024), 150, 300, 1, 4, 1, null);
  }

  /** The smoke version. */
  public static BenchOptions quickDefaults() {
    return new BenchOptions(true, List.of(128, 1024), 4096, 1024, 5, List.of(), 2, 2, 60, 12800, 42, 0, List.of(1),
        Set.of(), List.of(2, 5), List.of("l-bfgs", "gd"), 120, 50, List.of("float32", "float64"), "float64", "passive",
        "/usr/bin/python3", "runs", null, null, List.of(), List.of(128, 1024), 40, 60, 1, 2, 1, null);
  }

  /** The homework's MLP with this run's {@code compute} on every Linear layer. */
  public ModelSpec model() {
    List<LayerSpec> layers = new ArrayList<>();
    for (LayerSpec l : StepBenchmark.SEED_MLP.layers()) {
      layers.add(l.type().equals("Linear") ? l.with("compute", compute) : l);
    }
    return new ModelSpec(StepBenchmark.SEED_MLP.inputWidth(), layers);
  }

  public boolean runs(String section) {
    return !skip.contains(section);
  }

  /** Parses the command line; {@code --help} throws with the usage text. */
  public static BenchOptions parse(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    BenchOptions o = quick ? quickDefaults() : defaults();
    List<Integer> batches = o.batches;
    int scaleFrom = o.scaleFrom;
    int scaleBase = o.scaleBase;
    double warmupEpochs = o.warmupEpochs;
    List<String> plans = o.plans;
    int maxEpochs = o.maxEpochs;
    int minEpochs = o.minEpochs;
    double maxSeconds = o.maxSeconds;
    int evalEvery = o.evalEverySamples;
    long seed = o.seed;
    int partitions = o.partitions;
    List<Integer> localThreads = o.localThreads;
    Set<String> skip = new java.util.TreeSet<>(o.skip);
    List<Integer> mllibIters = o.mllibIters;
    List<String> mllibSolvers = o.mllibSolvers;
    double mllibBudget = o.mllibBudget;
    int bareJobs = o.bareJobs;
    List<String> torchDtypes = o.torchDtypes;
    String compute = o.compute;
    String torchOmpWait = o.torchOmpWait;
    String python = o.python;
    String out = o.out;
    String localOut = o.localOut;
    String reportOnly = o.reportOnly;
    List<String> clusters = o.clusters;
    List<Integer> clusterBatches = o.clusterBatches;
    int clusterIterations = o.clusterIterations;
    int clusterWarmup = o.clusterWarmup;
    int clusterVisits = o.clusterVisits;
    int clusterRounds = o.clusterRounds;
    int localSteps = o.localSteps;
    String clusterMaster = o.clusterMaster;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> { }
        case "--skip-mllib" -> skip.add("mllib");
        case "--skip-torch" -> skip.add("torch");
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (!a.startsWith("--") || i + 1 >= args.length) {
            throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
          }
          String v = args[++i];
          try {
            switch (a) {
              case "--batches" -> batches = ints(v);
              case "--scale-from" -> scaleFrom = Integer.parseInt(v);
              case "--scale-base" -> scaleBase = Integer.parseInt(v);
              case "--warmup-epochs" -> warmupEpochs = Double.parseDouble(v);
              case "--plans" -> plans = strings(v);
              case "--max-epochs" -> maxEpochs = Integer.parseInt(v);
              case "--min-epochs" -> minEpochs = Integer.parseInt(v);
              case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
              case "--eval-every-samples" -> evalEvery = Integer.parseInt(v);
              case "--seed" -> seed = Long.parseLong(v);
              case "--partitions" -> partitions = Integer.parseInt(v);
              case "--local-threads" -> localThreads = ints(v);
              case "--skip" -> skip.addAll(strings(v));
              case "--mllib-iters" -> mllibIters = ints(v);
              case "--mllib-solvers" -> mllibSolvers = strings(v);
              case "--mllib-budget" -> mllibBudget = Double.parseDouble(v);
              case "--bare-jobs" -> bareJobs = Integer.parseInt(v);
              case "--torch-dtypes" -> torchDtypes = strings(v);
              case "--compute" -> compute = v.toLowerCase(Locale.ROOT);
              case "--torch-omp-wait" -> torchOmpWait = v.toLowerCase(Locale.ROOT);
              case "--python" -> python = v;
              case "--out" -> out = v;
              case "--local-out" -> localOut = v;
              case "--report-only" -> reportOnly = v;
              case "--cluster" -> clusters = strings(v);
              case "--cluster-batches" -> clusterBatches = ints(v);
              case "--cluster-iterations" -> clusterIterations = Integer.parseInt(v);
              case "--cluster-warmup" -> clusterWarmup = Integer.parseInt(v);
              case "--cluster-visits" -> clusterVisits = Integer.parseInt(v);
              case "--cluster-rounds" -> clusterRounds = Integer.parseInt(v);
              case "--local-steps" -> localSteps = Integer.parseInt(v);
              case "--cluster-master" -> clusterMaster = v.trim();
              default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(a + ": not a number: '" + v + "'");
          }
        }
      }
    }
    return new BenchOptions(quick, batches, scaleFrom, scaleBase, warmupEpochs, plans, maxEpochs, minEpochs, maxSeconds,
        evalEvery, seed, partitions, localThreads, skip, mllibIters, mllibSolvers, mllibBudget, bareJobs, torchDtypes,
        compute, torchOmpWait, python, out, localOut, reportOnly, clusters, clusterBatches, clusterIterations,
        clusterWarmup, clusterVisits, clusterRounds, localSteps, clusterMaster);
  }

  /** The plans for {@code trainRows} training rows: one per batch size, then the {@code --plans} ones. */
  public List<BatchPlan> plans(long trainRows) {
    List<BatchPlan> all = new ArrayList<>();
    for (int b : batches) {
      all.add(BatchPlan.of(b, scaleFrom, scaleBase, warmupEpochs, trainRows));
    }
    for (String p : plans) {
      BatchPlan plan = BatchPlan.parse(p, trainRows);
      if (!all.contains(plan)) {
        all.add(plan);
      }
    }
    return all;
  }

  private static List<Integer> ints(String v) {
    List<Integer> out = new ArrayList<>();
    for (String s : strings(v)) {
      out.add(Integer.parseInt(s));
    }
    return out;
  }

  private static List<String> strings(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
