package io.sparknn.sweep;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.Dataset;
import io.sparknn.nn.Sequential;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.TrainingDivergedException;
import io.sparknn.train.TrainingState;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The body of a task-mode Spark task: one step of one trial with the single-JVM {@link LocalTrainer}, on the
 * broadcast data. The trial is rebuilt from its resolved config YAML, so the task carries only text, the
 * broadcast handles and the starting state's broadcast. The trainer replays the partitions as Spark tasks would
 * ({@link LocalTrainer#replayTasks}), so the trial ends where a {@code TrainJob} of its config on those
 * partitions ends. Everything it does is seeded by the trial's config
 * (initialisation, shuffles, dropout masks), so a retried attempt returns exactly what the first would have.
 * A divergence is a result (the trial failed), not a task failure, so Spark does not retry it.
 */
final class TrialTask implements Function<Integer, RungOutcome> {
  /** The data a trial trains on, broadcast once: the training set cut as a Spark run would cut it, and validation. */
  @DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
  record Data(Dataset[] partitions, Dataset validation) implements Serializable {}

  private final String id;
  private final String configYaml;
  private final int toEpochs;
  private final Broadcast<Data> data;
  private final Broadcast<TrainingState> start;
  private final boolean failFirstAttempt;

  TrialTask(String id, String configYaml, int toEpochs, Broadcast<Data> data, Broadcast<TrainingState> start,
      boolean failFirstAttempt) {
    this.id = id;
    this.configYaml = configYaml;
    this.toEpochs = toEpochs;
    this.data = data;
    this.start = start;
    this.failFirstAttempt = failFirstAttempt;
  }

  @Override
  public RungOutcome call(Integer ignored) throws JsonProcessingException {
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    long t0 = System.nanoTime();
    Data d = data.value();
    TrainConfig c = ConfigLoader.bind(ConfigLoader.mapper().readTree(configYaml), TrainConfig.class, "trial " + id);
    TrainPlan plan = TrainPlan.of(c, d.partitions()[0].cols(), d.partitions()[0].classes(), "trial " + id);
    Sequential model = plan.model().build(c.seed());
    LocalTrainer trainer = new LocalTrainer(model, new Objective(plan.criterion().build(), plan.target()),
        plan.newOptimizer(), TrialRunner.until(plan.options(), toEpochs)).replayTasks();
    if (start != null) {
      trainer.restore(start.value());
    }
    EpochCollector epochs = new EpochCollector() {
      @Override
      public void onEpoch(io.sparknn.train.EpochMetrics m) {
        super.onEpoch(m);
        if (failFirstAttempt && attempt == 0) {
          // Test hook: the first attempt dies after an epoch of work, so the retry has to redo it.
          throw new IllegalStateException("injected failure of trial " + id + ", attempt 0");
        }
      }
    };
    try {
      trainer.fit(d.partitions(), d.validation(), epochs);
      return new RungOutcome(epochs.epochs(), trainer.snapshot(), null,
          (System.nanoTime() - t0) / 1e9, attempt);
    } catch (TrainingDivergedException e) {
      return new RungOutcome(epochs.epochs(), null, e.getMessage(), (System.nanoTime() - t0) / 1e9, attempt);
    }
  }
}
