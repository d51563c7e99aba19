package io.sparknn.jobs;

import io.sparknn.config.TrainPlan;
import io.sparknn.io.Checkpoints;
import io.sparknn.io.ModelFiles;
import io.sparknn.report.Charts;
import io.sparknn.report.ConfusionFiles;
import io.sparknn.report.MetricsLog;
import io.sparknn.run.RunDirectory;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.spark.SparkTrainer;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * What the user sees and what a run leaves behind while it trains: one progress line per epoch (loss,
 * validation accuracy, samples/s, elapsed, ETA), a {@code metrics.jsonl} line per epoch, checkpoints every N
 * iterations and at each epoch's end; at the end the test line, the model, the charts, the confusion matrix and
 * {@code FINISHED}. A resumed run continues from the newest checkpoint and drops the metrics written after it;
 * one whose model was already saved only gets what is missing after the model ({@link #finishSaved}).
 */
final class RunReporter implements TrainingListener, Closeable {
  private final RunDirectory run;
  private final TrainPlan plan;
  private final MetricsLog metrics;
  private final Checkpoints checkpoints;
  private final String configYaml;
  private final List<EpochMetrics> history = new ArrayList<>();
  private final SparkTrainer trainer;
  private String lastCheckpoint;
  private long lastIterations;  // global iterations run when the listener last heard of one

  /** With {@code resume}, first puts {@code trainer} where the run's newest checkpoint left it. */
  RunReporter(RunDirectory run, TrainPlan plan, Checkpoints checkpoints, String configYaml, SparkTrainer trainer,
      boolean resume) {
    this.run = run;
    this.plan = plan;
    this.checkpoints = checkpoints;
    this.configYaml = configYaml;
    this.trainer = trainer;
    if (resume) {
      resume();
    }
    // Opened after the resume's rewrite of the file, which replaces it.
    this.metrics = MetricsLog.open(run.resolve("metrics.jsonl"));
  }

  /**
   * Puts the trainer at the run's newest checkpoint (or at the start when there is none) and drops the metric
   * lines written after that point.
   */
  private void resume() {
    Optional<Checkpoints.Loaded> latest = checkpoints.latest();
    int epochs = latest.map(l -> l.state().epoch()).orElse(0);
    MetricsLog.keepEpochsUpTo(run.resolve("metrics.jsonl"), epochs);
    if (latest.isPresent()) {
      trainer.restore(latest.get().state());
      lastCheckpoint = latest.get().path();
      lastIterations = latest.get().iterations();
      System.out.println("sparknn: resuming from " + latest.get().path());
    } else {
      System.out.println("sparknn: no checkpoint yet; starting " + run.path() + " from the beginning");
    }
  }

  String lastCheckpoint() {
    return lastCheckpoint;
  }

  @Override
  public void onIteration(int epoch, long iteration, double loss, double[] weights) {
    int every = plan.config().checkpoint().everyIterations();
    // With local steps the listener hears of a round's last iteration only: a round that crosses a multiple of
    // 'every' checkpoints at its end, the first position from which the run can resume.
    long done = iteration + 1;
    if (plan.config().checkpoint().enabled() && every > 0 && done / every > lastIterations / every) {
      lastCheckpoint = checkpoints.write(trainer.snapshot(), done, plan.model(), configYaml);
    }
    lastIterations = done;
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    history.add(m);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("epoch", m.epoch());
    line.put("iterations", m.iterations());
    line.put("train_loss", m.trainLoss());
    Evaluation v = m.validation();
    line.put("val_loss", v == null ? null : v.loss());
    line.put("val_accuracy", v == null ? null : v.accuracy());
    line.put("samples_per_sec", m.samplesPerSec());
    line.put("elapsed_sec", m.elapsedSec());
    line.put("lr", m.learningRate());
    metrics.write(line);
    int epochs = plan.options().epochs();
    double perEpoch = m.elapsedSec() / history.size();
    System.out.printf("epoch %d/%d  loss %.4f  val_loss %s  val_acc %s  %,.0f samples/s  elapsed %.1fs  ETA %.1fs%n",
        m.epoch(), epochs, m.trainLoss(), v == null ? "-" : String.format("%.4f", v.loss()),
        v == null ? "-" : String.format("%.2f%%", 100 * v.accuracy()), m.samplesPerSec(), m.elapsedSec(),
        perEpoch * (epochs - m.epoch()));
    if (plan.config().checkpoint().enabled()) {
      lastCheckpoint = checkpoints.write(trainer.snapshot(), m.iterations(), plan.model(), configYaml);
    }
  }

  /**
   * Ends the run: the final line of {@code metrics.jsonl}, the model, the charts and confusion matrix when
   * asked for, and {@code FINISHED}; prints the test result.
   */
  void finish(Evaluation test, double elapsedSec, Configuration hadoop) {
    writeFinalLine(test, elapsedSec);
    ModelFiles.save(run.resolve("model").toString(), plan.model(), trainer.model(), hadoop);
    complete(test, elapsedSec, "model saved to");
  }

  /**
   * Ends a run whose model was saved before the job stopped: what {@link #finish} would have written after
   * it, the final metrics line only when it is missing. {@code test} is the saved model's result.
   */
  void finishSaved(Evaluation test, double elapsedSec) {
    boolean hasFinalLine = MetricsLog.read(run.resolve("metrics.jsonl")).stream()
        .anyMatch(l -> Boolean.TRUE.equals(l.get("final")));
    if (!hasFinalLine) {
      writeFinalLine(test, elapsedSec);
    }
    complete(test, elapsedSec, "model already saved in");
  }

  private void writeFinalLine(Evaluation test, double elapsedSec) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("final", true);
    line.put("test_loss", test.loss());
    line.put("test_accuracy", plan.target() == Target.CLASSES ? test.accuracy() : null);
    line.put("elapsed_sec", elapsedSec);
    metrics.write(line);
  }

  /** The charts and confusion matrix when asked for, then {@code FINISHED}; prints the test result. */
  private void complete(Evaluation test, double elapsedSec, String modelNote) {
    boolean classes = plan.target() == Target.CLASSES;
    if (plan.config().output().charts()) {
      writeCharts();
      if (classes) {
        ConfusionFiles.write(run.path(), test.confusion());
      }
    }
    run.finish();
    System.out.printf("sparknn: test loss %.4f%s, %.1f s; %s %s%n", test.loss(),
        classes ? String.format(", test accuracy %.2f%%", 100 * test.accuracy()) : "", elapsedSec, modelNote,
        run.resolve("model"));
  }

  /** {@code loss.png} and {@code accuracy.png} from every epoch in {@code metrics.jsonl}, resumed runs included. */
  private void writeCharts() {
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    List<double[]> rows = new ArrayList<>();
    for (Map<String, Object> l : lines) {
      if (l.get("epoch") != null) {
        rows.add(new double[] {num(l.get("epoch")), num(l.get("train_loss")), num(l.get("val_loss")),
            num(l.get("val_accuracy"))});
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    double[] x = new double[rows.size()];
    double[] train = new double[rows.size()];
    double[] val = new double[rows.size()];
    double[] acc = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      x[i] = rows.get(i)[0];
      train[i] = rows.get(i)[1];
      val[i] = rows.get(i)[2];
      acc[i] = rows.get(i)[3];
    }
    Map<String, double[][]> loss = new LinkedHashMap<>();
    loss.put("train", new double[][] {x, train});
    loss.put("validation", new double[][] {x, val});
    Charts.lines(run.resolve("loss.png"), "Loss — " + plan.config().name(), "epoch", "loss", loss);
    Map<String, double[][]> accuracy = new LinkedHashMap<>();
    accuracy.put("validation", new double[][] {x, acc});
    Charts.lines(run.resolve("accuracy.png"), "Validation accuracy — " + plan.config().name(), "epoch",
        "accuracy", accuracy);
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  @Override
  public void close() {
    metrics.close();
  }
}
