package io.sparknn.sweep;

import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.run.PreparedData;
import io.sparknn.train.TrainingDivergedException;
import io.sparknn.train.TrainingState;
import io.sparknn.train.spark.SparkTrainer;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code mode: distributed}, for data too large for one task: each step of a trial is a full
 * {@link SparkTrainer} run over the training set, distributed and cached once and shared by every trial. The
 * sweep's driver threads run {@code parallelism} trials at once, each thread in its own FAIR scheduler pool
 * ({@code sweep-0}, {@code sweep-1}, ...), so with {@code spark.scheduler.mode=FAIR} concurrent trials share the
 * executors evenly instead of queueing behind one another's iterations.
 */
public final class DistributedModeRunner implements TrialRunner {
  /** Trials at once when the sweep does not say. */
  public static final int DEFAULT_PARALLELISM = 2;

  private final JavaSparkContext sc;
  private final SweepData data;
  private final Map<SweepData.Key, PartitionedDataset[]> cached = new HashMap<>();

  public DistributedModeRunner(JavaSparkContext sc, SweepData data) {
    this.sc = sc;
    this.data = data;
    String mode = sc.getConf().get("spark.scheduler.mode", "FIFO");
    if (!mode.equalsIgnoreCase("FAIR")) {
      System.err.println("sparknn sweep: spark.scheduler.mode is " + mode + ", not FAIR: concurrent trials "
          + "will queue behind one another's jobs instead of sharing the executors");
    }
  }

  /** The pool a driver thread's jobs go to. */
  public static String pool(int slot) {
    return "sweep-" + slot;
  }

  @Override
  public int defaultSlots() {
    return DEFAULT_PARALLELISM;
  }

  @Override
  public RungOutcome run(Trial trial, int fromEpochs, int toEpochs, TrainingState start, int slot) {
    sc.setLocalProperty("spark.scheduler.pool", pool(slot));
    sc.setJobGroup("sweep-" + trial.id(), "sweep trial " + trial.id() + ": epochs " + fromEpochs + " -> "
        + toEpochs, true);
    long t0 = System.nanoTime();
    try {
      PartitionedDataset[] d = cached(trial.train());
      TrainPlan plan = plan(trial);
      Sequential model = plan.model().build(trial.train().seed());
      SparkTrainer trainer = new SparkTrainer(sc, plan.model(), model, plan.criterion(), plan.target(),
          plan.newOptimizer(), TrialRunner.until(plan.options(), toEpochs));
      if (start != null) {
        trainer.restore(start);
      }
      EpochCollector epochs = new EpochCollector();
      try {
        trainer.fit(d[0], d[1], epochs);
        return new RungOutcome(epochs.epochs(), trainer.snapshot(), null,
            (System.nanoTime() - t0) / 1e9, 0);
      } catch (TrainingDivergedException e) {
        return new RungOutcome(epochs.epochs(), null, e.getMessage(), (System.nanoTime() - t0) / 1e9, 0);
      }
    } finally {
      sc.clearJobGroup();
      sc.setLocalProperty("spark.scheduler.pool", null);
    }
  }

  @Override
  public boolean healthy() {
    return !sc.sc().isStopped();
  }

  @Override
  public TrainPlan plan(Trial trial) {
    Dataset train = data.get(trial.train()).train();
    return TrainPlan.of(trial.train(), train.cols(), train.classes(), "trial " + trial.id());
  }

  @Override
  public String describeData(Trial trial) {
    PreparedData p = data.get(trial.train());
    return String.format("%d training rows cached in %d partitions, shared by every trial; %d validation rows",
        p.train().rows(), partitions(trial.train()), p.validation() == null ? 0 : p.validation().rows());
  }

  @Override
  public int partitions(TrainConfig c) {
    return c.data().partitions() > 0 ? c.data().partitions() : sc.defaultParallelism();
  }

  private synchronized PartitionedDataset[] cached(TrainConfig c) {
    return cached.computeIfAbsent(SweepData.Key.of(c), k -> {
      PreparedData p = data.get(c);
      int parts = partitions(c);
      PartitionedDataset train = PartitionedDataset.distribute(sc, p.train(), parts, "sweep-train");
      PartitionedDataset validation = p.validation() == null ? null
          : PartitionedDataset.distribute(sc, p.validation(), Math.min(parts, p.validation().rows()),
              "sweep-validation");
      return new PartitionedDataset[] {train, validation};
    });
  }

  @Override
  public synchronized void close() {
    for (PartitionedDataset[] d : cached.values()) {
      for (PartitionedDataset p : d) {
        if (p != null) {
          p.close();
        }
      }
    }
    cached.clear();
  }
}
