package io.sparknn.jobs;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.IdxHeader;
import io.sparknn.io.Checkpoints;
import io.sparknn.io.ModelFiles;
import io.sparknn.report.AtomicFiles;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.DistributedData;
import io.sparknn.run.RunDirectory;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.Evaluation;
import io.sparknn.train.spark.SparkTrainer;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The main training job: {@code spark-submit --class io.sparknn.jobs.TrainJob sparknn.jar --config FILE [--set
 * key=value ...] | --resume RUN_DIR}. It validates the config before Spark starts, has the executors read and check the
 * data ({@link DistributedData}) before the run directory exists, trains with {@link SparkTrainer}, and leaves a run
 * directory with the resolved {@code config.yaml}, {@code metrics.jsonl}, checkpoints, {@code model/}, {@code
 * loss.png}, {@code accuracy.png}, {@code confusion.png} and {@code confusion.csv} ({@link RunReporter}). A run that
 * fails is kept only when {@code --resume} can continue it ({@link FailedRun}). Exit codes as {@link JobMain}: 0 done,
 * 2 bad input (config, data, model files), 3 training diverged, 1 anything else.
 */
public final class TrainJob {
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
    if (a.resume() != null && (a.config() != null || !a.overrides().isEmpty())) {
      throw new ConfigException("--resume continues a run with its own config.yaml; "
          + "--config and --set cannot be combined with it");
    }
    // Everything that can be wrong with the config is found before Spark starts, and with the data before
    // the run directory exists: a refused run leaves nothing behind.
    RunDirectory resumed = a.resume() == null ? null : RunDirectory.resume(a.resume());
    Path configFile = resumed == null ? Path.of(a.config()) : resumed.resolve("config.yaml");
    TrainConfig config = ConfigLoader.load(configFile, resumed == null ? a.overrides() : List.of(),
        TrainConfig.class);
    config.data().check(configFile.toString());
    if (!config.data().isTable()) {
      // IDX headers give the width on the driver: the model is checked against it before Spark starts.
      IdxHeader images = DistributedData.idxHeaders(config.data(), new Configuration())[0];
      TrainPlan.of(config, images.rowBytes(), config.data().classes(), configFile.toString());
    }
    JavaSparkContext sc = null;
    DistributedData data = null;
    long start = System.nanoTime();
    try {
      sc = existing != null ? existing : SparkSetup.start("sparknn " + config.name());
      data = DistributedData.load(sc, config.data(), config.seed(), config.shards(), configFile.toString());
      TrainPlan plan = TrainPlan.of(config, data.cols(), data.classes(), configFile.toString());
      String configYaml = ConfigLoader.toYaml(config);
      RunDirectory run = resumed != null ? resumed
          : RunDirectory.create(config.output().dir(), config.output().run(), config.name());
      try {
        if (resumed == null) {
          AtomicFiles.writeString(run.resolve("config.yaml"), configYaml);
        }
        System.out.println("sparknn: run directory " + run.path());
        System.out.println("sparknn: model\n" + plan.model().summary(plan.initialModel()).indent(2).stripTrailing());
        System.out.println("sparknn: " + data.describe());
        trainOnSpark(sc, plan, data, run, configYaml, resumed != null, start);
        return run.path();
      } catch (RuntimeException e) {
        throw FailedRun.handle(run, e, sc.hadoopConfiguration(), config.checkpoint().keep());
      }
    } finally {
      if (data != null) {
        data.close();
      }
      if (existing == null && sc != null) {
        sc.stop();
      }
    }
  }

  /**
   * The homework's loop on Spark: distribute the data, fit with per-epoch validation, test, save. A resumed run
   * whose model is already saved is not trained again: it is only finished.
   */
  private static void trainOnSpark(JavaSparkContext sc, TrainPlan plan, DistributedData data, RunDirectory run,
      String configYaml, boolean resume, long start) {
    TrainConfig config = plan.config();
    Checkpoints checkpoints = new Checkpoints(run.path().toString(), sc.hadoopConfiguration(),
        config.checkpoint().keep());
    String modelDir = run.resolve("model").toString();
    if (resume && ModelFiles.isComplete(modelDir, sc.hadoopConfiguration())) {
      System.out.println("sparknn: the model in " + modelDir + " is complete; finishing the run without training");
      ModelFiles.Loaded saved = ModelFiles.load(modelDir, sc.hadoopConfiguration());
      SparkTrainer trainer = new SparkTrainer(sc, saved.spec(), saved.model(), plan.criterion(), plan.target(),
          plan.newOptimizer(), plan.options());
      try (RunReporter reporter = new RunReporter(run, plan, checkpoints, configYaml, trainer, false)) {
        reporter.finishSaved(trainer.evaluate(data.test()), (System.nanoTime() - start) / 1e9);
      }
      return;
    }
    SparkTrainer trainer = new SparkTrainer(sc, plan.model(), plan.initialModel(), plan.criterion(),
        plan.target(), plan.newOptimizer(), plan.options());
    try (RunReporter reporter = new RunReporter(run, plan, checkpoints, configYaml, trainer, resume)) {
      trainer.fit(data.train(), data.validation(), reporter);
      Evaluation result = trainer.evaluate(data.test());
      reporter.finish(result, (System.nanoTime() - start) / 1e9, sc.hadoopConfiguration());
    }
  }
}
