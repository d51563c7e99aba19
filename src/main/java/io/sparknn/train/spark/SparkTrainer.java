package io.sparknn.train.spark;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Broadcasts;
import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.data.ShardPlan;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.Optimizer;
import io.sparknn.tensor.PackedDoubles;
import io.sparknn.train.Evaluation;
import io.sparknn.train.GradientSum;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.PartitionResult;
import io.sparknn.train.PartitionSums;
import io.sparknn.train.Target;
import io.sparknn.train.Trainer;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Synchronous data-parallel training on Spark, the homework's loop. Every iteration the driver broadcasts the
 * model's one flat weight vector (plus running statistics); each partition's task loads it into its cached
 * {@link Replica}, computes forward and backward with BLAS on its share of the global batch (as
 * {@link BatchSchedule} assigns it) and returns gradient and loss <em>sums</em> ({@link PartitionSums}); the
 * driver adds the results in partition order and divides once by the global row count ({@link GradientSum}),
 * applies the optimizer and removes the broadcast ({@link Broadcasts}). With many partitions the sums can instead
 * be reduce-scattered through the shuffle, so the driver receives one summed vector, not one per partition
 * ({@link Aggregation}, {@link SlicedAggregation}; the same bits either way). Weights and gradients cross Spark as
 * packed bytes ({@link PackedDoubles}) and each iteration is a {@link ReplicaRDD} run by {@link PartitionJobs}:
 * both keep Spark's fixed cost per iteration near a bare job's. Where it can run, the same loop goes without a
 * job per iteration ({@link Exchange#CHANNEL}): a barrier stage of long-lived tasks, kept across epochs while
 * nothing else needs its slots, to which the driver sends the weights and from which it receives the sums every
 * iteration ({@link ChannelRounds}), added in the same order, so to the same bits; with many tasks they add the
 * sums slice by slice among themselves ({@link PeerMesh}), so the driver sends and receives one vector each way.
 *
 * <p>Because only sums cross the network and the schedule is a pure function, the global gradient equals
 * {@link LocalTrainer}'s on the same batch up to floating-point summation order (and to the bit under
 * {@link LocalTrainer#replayTasks()}, which runs the same two classes), and a retried task returns exactly what
 * the first attempt would have. Each epoch the model is evaluated on the validation set, also distributed. One
 * trainer trains one model; it is not thread-safe.
 */
public final class SparkTrainer extends Trainer {
  private final JavaSparkContext sc;
  private final ModelSpec spec;
  private final CriterionSpec criterion;
  private final Target target;
  private final String runId = UUID.randomUUID().toString();
  private final GradientSum sum = new GradientSum();
  private final double[] meanGradient;
  private final IterationTimes times = new IterationTimes();
  private final TaskClock clock;
  private WeightsShipment shipment;
  private WireFormat wire;
  private boolean removeInBackground;
  private BroadcastRemoval removal;
  private InjectedFault fault = InjectedFault.NONE;
  private Aggregation forced;
  private Exchange exchange;
  private int channelRestarts;
  private String channelFallback;
  private ChannelRounds fitChannel;  // while fit runs over the channel: evaluations pause its stage first

  /**
   * @param model the driver's model, built from {@code spec}; its weights are the starting point and are
   *     updated in place
   */
  public SparkTrainer(JavaSparkContext sc, ModelSpec spec, Sequential model, CriterionSpec criterion,
      Target target, Optimizer optimizer, TrainingOptions options) {
    super(model, optimizer, options);
    this.sc = sc;
    this.spec = spec;
    this.criterion = criterion;
    this.target = target;
    this.meanGradient = new double[model.parameterCount()];
    this.clock = new TaskClock(sc.sc());
    this.shipment = WeightsShipment.of(sc.getConf());
    this.removeInBackground = BroadcastRemoval.inBackground(sc.getConf());
    this.wire = WireFormat.of(sc.getConf());
    Exchange.setting(sc.getConf());  // a bad value is refused here, before anything runs
  }

  /**
   * Test hook for fault tolerance: partition 0's first attempt at {@code iteration} throws, so Spark retries
   * the task (needs {@code spark.task.maxFailures} &gt; 1, e.g. master {@code local[2,2]}).
   */
  public SparkTrainer failFirstAttemptAt(long iteration) {
    this.fault = new InjectedFault(iteration, fault.every(), fault.peersUnreachable());
    return this;
  }

  /**
   * Test hook for the channel whose tasks add the sums among themselves: partition 0 tells the driver a port
   * nothing listens on, as if a firewall stood between it and its peers.
   */
  public SparkTrainer hidePartitionZeroFromItsPeers() {
    this.fault = new InjectedFault(fault.at(), fault.every(), true);
    return this;
  }

  /** As {@link #failFirstAttemptAt}, at every positive multiple of {@code period} (the memory soak's faults). */
  public SparkTrainer failFirstAttemptEvery(long period) {
    this.fault = new InjectedFault(fault.at(), period, fault.peersUnreachable());
    return this;
  }

  /** Meets the tasks {@code how}, whatever the Spark setting {@value Exchange#KEY} says (null: the setting). */
  public SparkTrainer withExchange(Exchange how) {
    this.exchange = how;
    return this;
  }

  /**
   * Uses {@code path} whatever the Spark setting {@value Aggregation#KEY} says (null: the setting again); the
   * harness and the tests compare both paths in one session.
   */
  public SparkTrainer withAggregation(Aggregation path) {
    this.forced = path;
    return this;
  }

  /** Packs weights and gradient sums in {@code format}, whatever the Spark setting {@value WireFormat#KEY} says. */
  public SparkTrainer withWireFormat(WireFormat format) {
    this.wire = format;
    return this;
  }

  /** Ships the weights {@code how}, whatever the Spark setting {@value WeightsShipment#KEY} says. */
  public SparkTrainer withWeightShipment(WeightsShipment how) {
    this.shipment = how;
    return this;
  }

  /**
   * Removes each iteration's weight broadcast on a background thread ({@code true}) or inside the iteration,
   * whatever the Spark setting {@value BroadcastRemoval#KEY} says.
   */
  public SparkTrainer withBackgroundRemoval(boolean inBackground) {
    this.removeInBackground = inBackground;
    return this;
  }

  /** Trains for the remaining epochs, evaluating on {@code validation} (may be null) after each. */
  public void fit(PartitionedDataset train, PartitionedDataset validation, TrainingListener listener) {
    ShardPlan shards = shards(train);
    BatchSchedule schedule = schedule(train, shards);
    Exchange.Choice how = exchange(train);
    Aggregation path = aggregation(train, how.exchange());
    ChannelRounds channel = how.exchange() == Exchange.CHANNEL ? new ChannelRounds(sc.sc(), train.rdd().rdd(),
        new ChannelWork(spec, criterion, target, runId, schedule, shards, options, wire, path, fault),
        forced == null && Aggregation.automatic(sc.getConf())) : null;
    System.err.println("sparknn: exchange " + how.exchange().name().toLowerCase(java.util.Locale.ROOT)
        + ", aggregation " + path.name().toLowerCase(java.util.Locale.ROOT) + " ("
        + train.rdd().getNumPartitions() + " partitions, " + model.parameterCount() + " weights; " + how.reason()
        + ")" + (shards == null ? "" : " over " + shards.shards() + " fixed row shards")
        + (options.localSteps() == 1 ? "" : "; " + options.localSteps() + " local steps a round"));
    boolean done = false;
    this.fitChannel = channel;
    removal = removeInBackground && channel == null ? new BroadcastRemoval() : null;
    try {
      // With local steps a round's tasks run all its steps; they cut it where the loop does (Replica.sums).
      loop.run(schedule, options.epochs(), options.localSteps(), update, model.parameters(),
          (epoch, step, steps, iteration) -> {
            double meanLoss = channel != null ? exchange(channel, epoch, step)
                : aggregate(train, schedule, shards, epoch, step, path, options);
            long t0 = System.nanoTime();
            update.apply(model.parameters(), meanGradient, meanLoss, epoch, iteration);
            times.updateNs += System.nanoTime() - t0;
            times.iterations++;
            return meanLoss;
          }, () -> {
            if (channel != null) {
              channel.epochEnded(validation != null);  // an evaluation job needs the slots the channel's stage holds
            }
            return validation == null ? null : evaluate(sc, validation.rdd(), spec, criterion, target,
                model.weightsAndState(), runId, false);
          }, listener);
      done = true;
    } finally {
      this.fitChannel = null;
      if (channel != null) {
        channelRestarts += channel.restarts();
        if (channel.fallback() != null) {
          channelFallback = channel.fallback();
        }
        channel.finish(done);
      }
      finishRemovals(done);
      release(train, done);
      if (validation != null) {
        release(validation, done);
      }
    }
  }

  /**
   * Why the channel's tasks stopped adding the sums among themselves and the driver took over (they could not
   * reach each other, under {@code auto}), or null if they never did.
   */
  public String channelFallback() {
    return channelFallback;
  }

  /** Times a broken channel was replaced by a new stage so far (see {@link Exchange#CHANNEL}). */
  public int channelRestarts() {
    return channelRestarts;
  }

  /** One iteration over {@code channel}: as {@link #aggregate}, without a job. */
  private double exchange(ChannelRounds channel, int epoch, int step) {
    channel.round(epoch, step, model.parameters(), model.state(), sum, times, clock);
    long t0 = System.nanoTime();
    double meanLoss = sum.finish(meanGradient, model.state());
    times.sumNs += System.nanoTime() - t0;
    return meanLoss;
  }

  /** Waits for the queued broadcast removals; after a failure, without hiding the failure. */
  private void finishRemovals(boolean afterSuccess) {
    BroadcastRemoval r = removal;
    removal = null;
    if (r == null) {
      return;
    }
    try {
      r.close();
    } catch (RuntimeException e) {
      if (afterSuccess) {
        throw e;
      }
    }
  }

  /** Drops this run's replicas where {@code data}'s tasks ran; after a failure, without hiding the failure. */
  private void release(PartitionedDataset data, boolean afterSuccess) {
    try {
      ReplicaRelease.run(sc.sc(), data.rdd().rdd(), runId);
    } catch (RuntimeException e) {
      if (afterSuccess) {
        throw e;
      }
    }
  }

  /**
   * The mean gradient of the global batch at ({@code epoch}, {@code step}), computed on the executors,
   * without updating anything (what {@link LocalTrainer#gradientAt} computes in one JVM); with local steps too,
   * the gradient of that one step, not a round's displacement.
   */
  public double[] gradientAt(PartitionedDataset train, int epoch, int step) {
    ShardPlan shards = shards(train);
    aggregate(train, schedule(train, shards), shards, epoch, step, aggregation(train, Exchange.JOBS),
        options.withLocalSteps(1));
    return meanGradient.clone();
  }

  /**
   * The fixed row shards of {@code train} when the options ask for them (null otherwise), and the sum set to add
   * along their tree; refused, naming the setting, where the sums would not be float64 or not on the driver.
   */
  private ShardPlan shards(PartitionedDataset train) {
    sum.pairwise(null);
    if (options.shards() == 0) {
      return null;
    }
    if (wire != WireFormat.FLOAT64) {
      throw new IllegalArgumentException("training over " + options.shards() + " fixed row shards adds float64 "
          + "sums, but the wire format is " + wire.name().toLowerCase(java.util.Locale.ROOT) + " (Spark setting "
          + WireFormat.KEY + "); set it to float64 or turn the shards off");
    }
    ShardPlan plan = ShardPlan.of(options.seed(), train.sizes(), options.batchSize(), options.shards());
    sum.pairwise(plan.spans());
    return plan;
  }

  private BatchSchedule schedule(PartitionedDataset train, ShardPlan shards) {
    return shards != null ? shards.schedule()
        : new BatchSchedule(options.seed(), train.sizes(), options.batchSize());
  }

  /** The exchange {@code fit} uses on {@code train}: the one set here, or the Spark setting's choice. */
  public Exchange.Choice exchange(PartitionedDataset train) {
    if (exchange != null) {
      return new Exchange.Choice(exchange, "set on the trainer");
    }
    return Exchange.choose(sc.sc(), train.rdd().getNumPartitions(), shipment == WeightsShipment.TASK_BINARY);
  }

  /** The aggregation {@code fit} uses on {@code train}, for the exchange it uses. */
  public Aggregation aggregation(PartitionedDataset train) {
    return aggregation(train, exchange(train).exchange());
  }

  /** The aggregation on {@code train} over {@code how}: forced, the Spark setting, or the model's choice. */
  private Aggregation aggregation(PartitionedDataset train, Exchange how) {
    return forced != null ? forced
        : Aggregation.choose(sc.getConf(), train.rdd().getNumPartitions(), model.parameterCount(), how);
  }

  /** The driver's timers and byte counts over every iteration so far (the harness reads them). */
  public IterationTimes times() {
    return times;
  }

  /** The tasks' weight-loading and compute times over every iteration so far. */
  public TaskClock taskClock() {
    return clock;
  }

  /**
   * Leaves the mean gradient of the global batch in {@link #meanGradient} (with {@code taskOptions}' local steps,
   * of the round from {@code step}) and returns the mean loss.
   */
  private double aggregate(PartitionedDataset train, BatchSchedule schedule, ShardPlan shards, int epoch, int step,
      Aggregation path, TrainingOptions taskOptions) {
    long t0 = System.nanoTime();
    WeightsShipment.Shipped weights = shipment.ship(sc, wire.pack(model.parameters(), model.state()));
    long t1 = System.nanoTime();
    times.broadcastNs += t1 - t0;
    try {
      GradientTask task = new GradientTask(schedule, shards, epoch, step, taskOptions, fault, wire);
      sum.reset(model.parameterCount(), model.stateCount());
      if (path == Aggregation.SLICED) {
        SlicedAggregation.run(sc.sc(), train.rdd().rdd(), weights, spec, criterion, target, runId, task,
            train.rdd().getNumPartitions(), sum, model.parameterCount(), clock);
        times.resultBytes += (long) Double.BYTES * model.parameterCount();
        times.jobNs += System.nanoTime() - t1;
      } else {
        List<PartitionResult> results = PartitionJobs.onePerPartition(sc.sc(),
            new ReplicaRDD<>(train.rdd().rdd(), PartitionResult.class, weights, spec, criterion, target, runId,
                task, clock),
            PartitionResult.class);
        long t2 = System.nanoTime();
        times.jobNs += t2 - t1;
        // Partition order, always: the sum does not depend on which task finished first.
        for (PartitionResult r : results) {
          sum.add(r);
          times.resultBytes += r.gradSum().length;
        }
        times.sumNs += System.nanoTime() - t2;
      }
      return sum.finish(meanGradient, model.state());
    } finally {
      long t3 = System.nanoTime();
      weights.close(removal);
      times.removeNs += System.nanoTime() - t3;
    }
  }

  /**
   * Loss, accuracy and confusion matrix of the current model on {@code data}, computed on the executors. Called
   * from a listener while {@code fit} runs over the channel, it first ends the channel's stage, whose tasks hold
   * the slots the evaluation needs (the next iteration starts another).
   */
  public Evaluation evaluate(PartitionedDataset data) {
    if (fitChannel != null) {
      fitChannel.pause();
    }
    return evaluate(sc, data.rdd(), spec, criterion, target, model.weightsAndState(), runId);
  }

  /**
   * Distributed evaluation of the model given by {@code spec} and flat {@code weightsAndState}; the replicas it
   * built for {@code runId} are released afterwards.
   */
  public static Evaluation evaluate(JavaSparkContext sc, JavaRDD<Dataset> data, ModelSpec spec,
      CriterionSpec criterion, Target target, double[] weightsAndState, String runId) {
    return evaluate(sc, data, spec, criterion, target, weightsAndState, runId, true);
  }

  private static Evaluation evaluate(JavaSparkContext sc, JavaRDD<Dataset> data, ModelSpec spec,
      CriterionSpec criterion, Target target, double[] weightsAndState, String runId, boolean release) {
    WeightsShipment.Shipped weights = WeightsShipment.BROADCAST.ship(sc, PackedDoubles.pack(weightsAndState));
    try {
      List<Evaluation> parts = PartitionJobs.onePerPartition(sc.sc(),
          new ReplicaRDD<>(data.rdd(), Evaluation.class, weights, spec, criterion, target, runId,
              new EvaluationTask(), null),
          Evaluation.class);
      Evaluation total = parts.get(0);
      for (int i = 1; i < parts.size(); i++) {
        total = total.plus(parts.get(i));
      }
      if (release) {
        ReplicaRelease.run(sc.sc(), data.rdd(), runId);
      }
      return total;
    } finally {
      weights.close();
    }
  }

  /** Identifies this run's replicas in executor caches (released when {@link #fit} ends). */
  public String runId() {
    return runId;
  }
}
