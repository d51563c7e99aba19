package io.sparknn.sweep;

import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.Broadcasts;
import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.run.PreparedData;
import io.sparknn.train.TrainingState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code mode: task}, for data that fits in an executor: the data set is broadcast once, and each step of a
 * trial is a Spark job of one task that trains it with {@code LocalTrainer} ({@link TrialTask}). The sweep
 * submits one such job per free slot from its driver threads, so as many trials train at once as there are
 * task slots, each on one core.
 *
 * <p>The training set is cut into the partitions a {@code TrainJob} on the same cluster would use
 * ({@code data.partitions}, or Spark's default parallelism), and {@code LocalTrainer} replays such a distributed
 * run task by task ({@link io.sparknn.train.LocalTrainer#replayTasks}): a trial's weights end bit-identical to
 * those of {@code TrainJob} on its config (given the same BLAS), so its validation accuracy is the same.
 */
public final class TaskModeRunner implements TrialRunner {
  private final JavaSparkContext sc;
  private final SweepData data;
  private final Map<SweepData.Key, Broadcast<TrialTask.Data>> broadcasts = new HashMap<>();
  private volatile String failFirstAttemptOf;

  public TaskModeRunner(JavaSparkContext sc, SweepData data) {
    this.sc = sc;
    this.data = data;
  }

  /**
   * Test hook for fault tolerance: the first attempt of every task of trial {@code id} fails after one epoch,
   * so Spark retries it (needs {@code spark.task.maxFailures} &gt; 1, e.g. master {@code local[2,3]}).
   */
  public TaskModeRunner failFirstAttemptOf(String id) {
    this.failFirstAttemptOf = id;
    return this;
  }

  @Override
  public int defaultSlots() {
    return sc.defaultParallelism();
  }

  @Override
  public RungOutcome run(Trial trial, int fromEpochs, int toEpochs, TrainingState start, int slot) {
    Broadcast<TrialTask.Data> d = broadcast(trial.train());
    Broadcast<TrainingState> s = start == null ? null : sc.broadcast(start);
    sc.setJobGroup("sweep-" + trial.id(), "sweep trial " + trial.id() + ": epochs " + fromEpochs + " -> "
        + toEpochs, true);
    try {
      List<RungOutcome> out = sc.parallelize(List.of(trial.index()), 1)
          .map(new TrialTask(trial.id(), trial.configYaml(), toEpochs, d, s, trial.id().equals(failFirstAttemptOf)))
          .collect();
      return out.get(0);
    } finally {
      sc.clearJobGroup();
      if (s != null) {
        Broadcasts.remove(s);
      }
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
    return String.format("%d training rows in %d partitions (one Spark task per trial step), %d validation rows",
        p.train().rows(), partitions(trial.train()), p.validation() == null ? 0 : p.validation().rows());
  }

  @Override
  public int partitions(TrainConfig c) {
    return c.data().partitions() > 0 ? c.data().partitions() : sc.defaultParallelism();
  }

  private synchronized Broadcast<TrialTask.Data> broadcast(TrainConfig c) {
    return broadcasts.computeIfAbsent(SweepData.Key.of(c), k -> {
      PreparedData p = data.get(c);
      return sc.broadcast(new TrialTask.Data(PartitionedDataset.split(p.train(), partitions(c)), p.validation()));
    });
  }

  @Override
  public synchronized void close() {
    broadcasts.values().forEach(Broadcasts::remove);
    broadcasts.clear();
  }
}
