package io.sparknn.jobs;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.io.Checkpoints;
import io.sparknn.io.ModelFiles;
import io.sparknn.nn.Sequential;
import io.sparknn.report.AtomicFiles;
import io.sparknn.report.Charts;
import io.sparknn.report.MetricsLog;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.PreparedData;
import io.sparknn.run.RunDirectory;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingDivergedException;
import io.sparknn.train.spark.SparkTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The main training job: {@code spark-submit --class io.sparknn.jobs.TrainJob sparknn.jar --config FILE
 * [--set key=value ...] | --resume RUN_DIR}. It validates the config and reads the data before Spark starts,
 * trains with {@link SparkTrainer}, and leaves a run directory with the resolved {@code config.yaml},
 * {@code metrics.jsonl}, checkpoints, {@code model/}, {@code loss.png}, {@code accuracy.png},
 * {@code confusion.png} and {@code confusion.csv}. Exit codes: 0 done, 2 bad input (config, data, model
 * files), 3 training diverged, 1 anything else.
 */
public final class TrainJob {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private TrainJob() {}

  public static void main(String[] args) {
    JobMain.exit("TrainJob", () -> train(args));
  }

  /** Runs the job in a Spark session of its own (stopped at the end); returns the run directory. */
  public static Path train(String[] args) {
    return train(args, null);
  }

  /**
   * Runs the job; with {@code existing} null it starts and stops its own Spark session, otherwise it uses
   * {@code existing} and leaves it running (tests, notebooks). Returns the run directory.
   */
  public static Path train(String[] args, JavaSparkContext existing) {
    JobArguments a = JobArguments.parse(args);
    if (a.help() || (a.config() == null && a.resume() == null)) {
      throw new ConfigException("usage: TrainJob --config FILE [--set key=value ...] | --resume RUN_DIR");
    }
    RunDirectory run = null;
    TrainConfig config;
    String source;
    if (a.resume() != null) {
      if (a.config() != null || !a.overrides().isEmpty()) {
        throw new ConfigException("--resume continues a run with its own config.yaml; "
            + "--config and --set cannot be combined with it");
      }
      run = RunDirectory.resume(a.resume());
      source = run.resolve("config.yaml").toString();
      config = ConfigLoader.load(run.resolve("config.yaml"), List.of(), TrainConfig.class);
    } else {
      source = a.config();
      config = ConfigLoader.load(Path.of(source), a.overrides(), TrainConfig.class);
    }
    // Everything that can be wrong with the input is found before Spark starts.
    TrainPlan.of(config, 784, source);
    PreparedData data = PreparedData.load(config.data(), config.seed());
    Integer declared = config.model().get(0).in();
    if (declared != null && declared != data.train().cols()) {
      throw new ConfigException("the images in " + data.dir() + " have " + data.train().cols()
          + " features, but model layer 1 (" + config.model().get(0).type() + ") takes " + declared
          + "; change 'model.0.in' or the data");
    }
    TrainPlan plan = TrainPlan.of(config, data.train().cols(), source);
    String configYaml = ConfigLoader.toYaml(config);
    if (a.resume() == null) {
      run = RunDirectory.create(config.output().dir(), config.output().run(), config.name());
      AtomicFiles.writeString(run.resolve("config.yaml"), configYaml);
    }
    System.out.println("sparknn: run directory " + run.path());
    System.out.println("sparknn: model\n" + plan.model().build(config.seed()).toString().indent(2).stripTrailing());
    System.out.printf("sparknn: %d training, %d validation, %d test rows from %s%n", data.train().rows(),
        data.validation() == null ? 0 : data.validation().rows(), data.test().rows(), data.dir());

    long start = System.nanoTime();
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn " + config.name());
    try {
      return trainOnSpark(sc, plan, data, run, configYaml, a.resume() != null, start);
    } finally {
      if (existing == null) {
        sc.stop();
      }
    }
  }

  private static Path trainOnSpark(JavaSparkContext sc, TrainPlan plan, PreparedData data, RunDirectory run,
      String configYaml, boolean resume, long start) {
    TrainConfig config = plan.config();
    int partitions = config.data().partitions() > 0 ? config.data().partitions() : sc.defaultParallelism();
    Checkpoints checkpoints = new Checkpoints(run.path().toString(), sc.hadoopConfiguration(),
        config.checkpoint().keep());
    Sequential model = plan.model().build(config.seed());
    SparkTrainer trainer = new SparkTrainer(sc, plan.model(), model, plan.criterion(), plan.target(),
        plan.newOptimizer(), plan.options());
    if (resume) {
      Optional<Checkpoints.Loaded> latest = checkpoints.latest();
      if (latest.isPresent()) {
        trainer.restore(latest.get().state());
        keepMetricsUpTo(run.resolve("metrics.jsonl"), latest.get().state().epoch());
        System.out.println("sparknn: resuming from " + latest.get().path());
      } else {
        keepMetricsUpTo(run.resolve("metrics.jsonl"), 0);
        System.out.println("sparknn: no checkpoint yet; starting " + run.path() + " from the beginning");
      }
    }
    try (PartitionedDataset train = PartitionedDataset.distribute(sc, data.train(), partitions, "train");
        PartitionedDataset validation = data.validation() == null ? null
            : PartitionedDataset.distribute(sc, data.validation(), partitions, "validation");
        PartitionedDataset test = PartitionedDataset.distribute(sc, data.test(), partitions, "test");
        RunReporter reporter = new RunReporter(run, plan, checkpoints, configYaml)) {
      reporter.attach(trainer);
      try {
        trainer.fit(train, validation, reporter);
      } catch (TrainingDivergedException e) {
        throw e.withCheckpoint(reporter.lastCheckpoint());
      }
      Evaluation result = trainer.evaluate(test);
      double elapsed = (System.nanoTime() - start) / 1e9;
      reporter.writeTest(result, elapsed);
      ModelFiles.save(run.resolve("model").toString(), plan.model(), model, sc.hadoopConfiguration());
      if (config.output().charts()) {
        reporter.writeCharts();
        if (plan.target() == Target.CLASSES) {
          writeConfusion(run, result);
        }
      }
      run.finish();
      System.out.printf("sparknn: test loss %.4f%s, %.1f s; model saved to %s%n", result.loss(),
          plan.target() == Target.CLASSES ? String.format(", test accuracy %.2f%%", 100 * result.accuracy()) : "",
          elapsed, run.resolve("model"));
      return run.path();
    }
  }

  static void writeConfusion(RunDirectory run, Evaluation result) {
    long[][] c = result.confusion();
    String[] names = new String[c.length];
    StringBuilder csv = new StringBuilder("true\\predicted");
    for (int i = 0; i < c.length; i++) {
      names[i] = Integer.toString(i);
      csv.append(',').append(i);
    }
    csv.append('\n');
    for (int i = 0; i < c.length; i++) {
      csv.append(i);
      for (long v : c[i]) {
        csv.append(',').append(v);
      }
      csv.append('\n');
    }
    AtomicFiles.writeString(run.resolve("confusion.csv"), csv.toString());
    Charts.confusion(run.resolve("confusion.png"), "Test confusion matrix", c, names);
  }

  /** Drops metric lines of epochs after {@code epochs} (written after the checkpoint a resume starts from). */
  private static void keepMetricsUpTo(Path file, int epochs) {
    if (!file.toFile().exists()) {
      return;
    }
    List<Map<String, Object>> lines = MetricsLog.read(file);
    StringBuilder kept = new StringBuilder();
    for (Map<String, Object> l : lines) {
      Object e = l.get("epoch");
      if (e instanceof Number n && n.intValue() <= epochs) {
        try {
          kept.append(JSON.writeValueAsString(l)).append('\n');
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    AtomicFiles.writeString(file, kept.toString());
  }
}
