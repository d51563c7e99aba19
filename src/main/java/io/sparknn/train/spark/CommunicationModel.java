package io.sparknn.train.spark;

import org.apache.spark.SparkConf;

/**
 * The time of one synchronous iteration as a sum of measured terms:
 * {@code job latency + weight distribution + compute(B/P) + aggregation}, for {@code P} tasks, a model of
 * {@code w} float64 weights ({@code b = 8w} bytes) and a global batch {@code B}.
 *
 * <ul>
 *   <li>job latency: {@code jobMs + taskMs·P} (a job of P tasks that move nothing; {@code taskMs} is the
 *       driver's cost per task);
 *   <li>weight distribution: a torrent broadcast, whose holders double every round:
 *       {@code b·perByte·⌈log2(P+1)⌉};
 *   <li>compute: {@code computeMs + computeUs·B/P·w/174,156} (one task's step, scaled by the weights);
 *   <li>aggregation, direct: the driver takes every task's whole sum in turn, {@code P·b·perByte};
 *       sliced: a second stage ({@code stageMs + taskMs·P}), every reducer receives about {@code b} in
 *       parallel, then the driver {@code b}: {@code stageMs + taskMs·P + 2·b·perByte}.
 * </ul>
 * That sum is the critical path when every executor has cores of its own (a real cluster, and the projection).
 * When the driver and {@code P} one-core executors share one machine of {@code cpus} CPUs (a loopback cluster,
 * {@link #sharedIterationMs}), the executors take turns on those CPUs: all {@code P} tasks start together and the
 * driver waits for the last, so the executor side of the critical path ({@link #executorChainMs}: compute, plus
 * {@code taskCpuMs} for every task on the path) takes {@code max(1, P/cpus)} times as long, and the driver's terms
 * stay as they are. {@code taskCpuMs} is an executor's own work per task beside compute: deserialising the task,
 * fetching and unpacking the weights (measured with the homework MLP's 1.4 MB, not scaled), serialising its
 * result, its share of GC.
 * The channel exchange ({@link Exchange#CHANNEL}) has no job, broadcast or stage per iteration: the driver
 * packs the weights once, writes them to each of the {@code P} tasks and reads each task's sum, one thread per
 * link, so its copies run in parallel over {@code min(P, cpus)} of its CPUs, while every byte crosses its one link
 * in turn; then it steps the optimizer:
 * {@code driverStepMs + compute(B/P) + bytes/(min(P, cpus)·channelBytesPerMs) + bytes/linkBytesPerMs}, where
 * {@code driverStepMs} is the driver's packing, the sum's scaling and the update (one vector each, whatever {@code P}),
 * {@code channelBytesPerMs} is one link thread's copying rate (no serialisation framework in the way) and
 * {@code bytes = 2·P·b} when every reply is dense. On a shared machine ({@link #sharedChannelIterationMs}) the
 * tasks' compute takes turns as above.
 * {@code perByte = 1/cpuBytesPerMs + 1/linkBytesPerMs}: serialising, copying and deserialising a byte (measured
 * on loopback, where the link itself is free) plus the link's own time (10 GbE: 1.25e6 bytes/ms). The defaults
 * are this project's 2-core machine's loopback figures (README, Performance); every term can be set as a Spark
 * setting {@code spark.sparknn.model.<name>} (e.g. {@code spark.sparknn.model.linkBytesPerMs=1.25e6}).
 */
public record CommunicationModel(double jobMs, double taskMs, double stageMs, double cpuBytesPerMs,
    double linkBytesPerMs, double computeMs, double computeUs, double channelBytesPerMs, double taskCpuMs,
    double driverStepMs) {
  /** The homework's MLP, whose step the compute term was measured on. */
  public static final int MEASURED_WEIGHTS = 174_156;

  /**
   * This machine's loopback figures, fitted by {@code jobs/bench.sh --cluster 2x1,4x1,8x1} (README, Performance;
   * measured while other builds loaded the 2 cores, so every term is pessimistic, the per-task one most);
   * {@code taskCpuMs} from the 2-executor cluster's task metrics of two later runs (22.5 and 21.9 ms); the
   * channel's rate per link thread (its 2.2e6 bytes/ms were fitted as the driver's total over 2 threads);
   * {@code driverStepMs} from the driver's timers on the 2-executor cluster's channel (0.36–0.38 ms in four runs).
   */
  public static final CommunicationModel LOOPBACK = new CommunicationModel(15.0, 6.5, 24.7, 212_000,
      Double.POSITIVE_INFINITY, 0.0, 42.4, 1_100_000, 22.0, 0.35);

  /** The model with {@code conf}'s {@code spark.sparknn.model.*} settings over {@link #LOOPBACK}. */
  public static CommunicationModel fromConf(SparkConf conf) {
    CommunicationModel d = LOOPBACK;
    return new CommunicationModel(get(conf, "jobMs", d.jobMs), get(conf, "taskMs", d.taskMs),
        get(conf, "stageMs", d.stageMs), get(conf, "cpuBytesPerMs", d.cpuBytesPerMs),
        get(conf, "linkBytesPerMs", d.linkBytesPerMs), get(conf, "computeMs", d.computeMs),
        get(conf, "computeUs", d.computeUs), get(conf, "channelBytesPerMs", d.channelBytesPerMs),
        get(conf, "taskCpuMs", d.taskCpuMs), get(conf, "driverStepMs", d.driverStepMs));
  }

  private static double get(SparkConf conf, String name, double fallback) {
    String key = "spark.sparknn.model." + name;
    String v = conf.get(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Spark setting " + key + " is '" + v + "'; expected a number");
    }
  }

  /** The same model on a link of {@code bytesPerMs} (10 GbE: 1.25e6). */
  public CommunicationModel onLink(double bytesPerMs) {
    return new CommunicationModel(jobMs, taskMs, stageMs, cpuBytesPerMs, bytesPerMs, computeMs, computeUs,
        channelBytesPerMs, taskCpuMs, driverStepMs);
  }

  /** The same model with another compute term (an exchange's tasks measured on their own). */
  public CommunicationModel withCompute(double computeMs, double computeUs) {
    return new CommunicationModel(jobMs, taskMs, stageMs, cpuBytesPerMs, linkBytesPerMs, computeMs, computeUs,
        channelBytesPerMs, taskCpuMs, driverStepMs);
  }

  /** Milliseconds per byte moved once between two JVMs. */
  public double msPerByte() {
    return 1.0 / cpuBytesPerMs + 1.0 / linkBytesPerMs;
  }

  public double jobLatencyMs(int p) {
    return jobMs + taskMs * p;
  }

  /** Every executor receives its {@link IterationTraffic#weights} share in rounds whose holders double. */
  public double distributionMs(int p, int weights) {
    double each = IterationTraffic.of(p, weights, Exchange.JOBS, Aggregation.DIRECT).weights() / p;
    return each * msPerByte() * Math.ceil(Math.log(p + 1) / Math.log(2));
  }

  public double computeMs(int p, int weights, int batch) {
    return computeMs + computeUs / 1000.0 * batch / p * weights / MEASURED_WEIGHTS;
  }

  /**
   * Direct: the driver takes every task's sum in turn. Sliced: the second stage, each reducer's share of the
   * shuffle (its reads in parallel with the others'), then the driver's.
   */
  public double aggregationMs(int p, int weights, Aggregation path) {
    IterationTraffic t = IterationTraffic.of(p, weights, Exchange.JOBS, path);
    return path == Aggregation.DIRECT ? t.intoDriver() * msPerByte()
        : stageMs + taskMs * p + (t.shuffle() / p + t.intoDriver()) * msPerByte();
  }

  /** Predicted milliseconds per iteration, every executor on cores of its own. */
  public double iterationMs(int p, int weights, int batch, Aggregation path) {
    return jobLatencyMs(p) + distributionMs(p, weights) + computeMs(p, weights, batch)
        + aggregationMs(p, weights, path);
  }

  /**
   * How many times longer an executor's work takes when {@code p} one-core executors share {@code cpus} CPUs:
   * {@code max(1, p/cpus)} (they take turns; 1 while every executor has a CPU to itself).
   */
  public static double turns(int p, int cpus) {
    return Math.max(1.0, (double) p / cpus);
  }

  /**
   * The executors' part of the critical path: one task's own work per stage on the path (one stage direct, the
   * map and the reduce task sliced; a reducer deserialises, fetches about {@code b} of slices as a map task
   * fetches the weights, and serialises its result) plus the compute of its {@code B/P} samples.
   */
  public double executorChainMs(int p, int weights, int batch, Aggregation path) {
    return (path == Aggregation.SLICED ? 2 : 1) * taskCpuMs + computeMs(p, weights, batch);
  }

  /**
   * Predicted milliseconds per iteration when the driver and the {@code p} one-core executors share one machine
   * of {@code cpus} CPUs: the critical path with its executor side taking {@link #turns} times as long. With
   * {@code cpus ≥ p} it is {@link #iterationMs}.
   */
  public double sharedIterationMs(int p, int weights, int batch, Aggregation path, int cpus) {
    return iterationMs(p, weights, batch, path) + (turns(p, cpus) - 1) * executorChainMs(p, weights, batch, path);
  }

  /**
   * Predicted milliseconds per iteration over the channel exchange, every reply dense (an upper bound, since a
   * reply leaves out its gradient's zeros when that is smaller), the driver on {@code driverCpus} CPUs.
   */
  public double denseChannelIterationMs(int p, int weights, int batch, int driverCpus) {
    IterationTraffic t = IterationTraffic.of(p, weights, Exchange.CHANNEL, Aggregation.DIRECT);
    return channelIterationMs(p, weights, batch, t.intoDriver() + t.weights(), driverCpus);
  }

  /**
   * The same, for {@code bytes} moved through the driver per iteration (both ways, all tasks): its link threads
   * copy them on up to {@code driverCpus} CPUs at once; its link carries them one after another.
   */
  public double channelIterationMs(int p, int weights, int batch, double bytes, int driverCpus) {
    return driverStepMs + computeMs(p, weights, batch) + bytes / (Math.min(p, driverCpus) * channelBytesPerMs)
        + bytes / linkBytesPerMs;
  }

  /**
   * The channel's iteration when the driver and the {@code p} one-core executors share one machine of
   * {@code cpus} CPUs, for {@code bytes} moved through the driver: the tasks' compute takes {@link #turns}.
   */
  public double sharedChannelIterationMs(int p, int weights, int batch, double bytes, int cpus) {
    return sharedChannelIterationMs(p, weights, batch, bytes, cpus, cpus);
  }

  /**
   * As above, the driver copying on {@code driverCpus} CPUs of its own and the executors taking turns on
   * {@code sharedCpus} ({@link Integer#MAX_VALUE}: every executor on a host of its own).
   */
  public double sharedChannelIterationMs(int p, int weights, int batch, double bytes, int driverCpus,
      int sharedCpus) {
    return channelIterationMs(p, weights, batch, bytes, driverCpus)
        + (turns(p, sharedCpus) - 1) * computeMs(p, weights, batch);
  }

  /**
   * Predicted milliseconds per iteration over the channel with the sums added among the tasks ({@link PeerMesh}),
   * every value float64 and dense (an upper bound where the gradient's slices leave out their zeros): the driver
   * sends each task one slice of the weights and receives one slice of the sum, {@code 2·b} bytes in all, copied
   * on up to {@code driverCpus} link threads; each task sends and receives
   * {@code (P−1)/P·b} bytes with its peers twice (the weights gathered, the gradient scattered), its writes on a
   * thread of their own beside its reads, so {@code 2·(P−1)/P·b} bytes on its path; and the four hops follow each
   * other on the links, the driver's step as on the dense channel:
   * {@code driverStepMs + compute + 2b/(min(P, cpus)·c) + 2(P−1)/P·b/c + 2b·(2P−1)/P/link}.
   */
  public double slicedChannelIterationMs(int p, int weights, int batch, int driverCpus) {
    IterationTraffic t = IterationTraffic.of(p, weights, Exchange.CHANNEL, Aggregation.SLICED);
    double driver = t.intoDriver() + t.weights();
    double peers = 2.0 * (p - 1) / p * 8.0 * weights;
    return driverStepMs + computeMs(p, weights, batch) + driver / (Math.min(p, driverCpus) * channelBytesPerMs)
        + peerCopyMs(p, weights) + (driver + peers) / linkBytesPerMs;
  }

  /**
   * One task's copying of the bytes it exchanges with its peers per iteration over the sliced channel: what it
   * reads, while a thread of its own writes as much.
   */
  public double peerCopyMs(int p, int weights) {
    return 2.0 * (p - 1) / p * 8.0 * weights / channelBytesPerMs;
  }

  /**
   * The sliced channel's iteration when the driver and the {@code p} one-core executors share one machine of
   * {@code cpus} CPUs: the tasks' compute and their copying with the peers take {@link #turns}.
   */
  public double sharedSlicedChannelIterationMs(int p, int weights, int batch, int cpus) {
    return sharedSlicedChannelIterationMs(p, weights, batch, cpus, cpus);
  }

  /** As above, the driver on {@code driverCpus} CPUs of its own, the executors taking turns on {@code sharedCpus}. */
  public double sharedSlicedChannelIterationMs(int p, int weights, int batch, int driverCpus, int sharedCpus) {
    return slicedChannelIterationMs(p, weights, batch, driverCpus)
        + (turns(p, sharedCpus) - 1) * (computeMs(p, weights, batch) + peerCopyMs(p, weights));
  }

  /**
   * Whether the channel is predicted faster with the sums added among the tasks than on the driver (strictly: a
   * tie keeps the simpler path).
   */
  public boolean slicedChannelPays(int p, int weights, int driverCpus) {
    return slicedChannelIterationMs(p, weights, 0, driverCpus)
        < denseChannelIterationMs(p, weights, 0, driverCpus);
  }

  /** Whether the sliced aggregation is predicted faster than the direct one. */
  public boolean slicedPays(int p, int weights) {
    return aggregationMs(p, weights, Aggregation.SLICED) < aggregationMs(p, weights, Aggregation.DIRECT);
  }

  /** The cheaper path for {@code p} tasks. */
  public Aggregation best(int p, int weights) {
    return slicedPays(p, weights) ? Aggregation.SLICED : Aggregation.DIRECT;
  }

  /**
   * The smallest global batch (a multiple of {@code p}) at which compute takes at least as long as everything
   * else of the iteration on the best path: beyond it, adding samples costs compute only.
   */
  public long hidingBatch(int p, int weights) {
    double comm = jobLatencyMs(p) + distributionMs(p, weights) + aggregationMs(p, weights, best(p, weights));
    double perSampleMs = computeUs / 1000.0 / p * weights / MEASURED_WEIGHTS;
    double b = Math.max(0, comm - computeMs) / perSampleMs;
    return (long) Math.ceil(b / p) * p;
  }
}
