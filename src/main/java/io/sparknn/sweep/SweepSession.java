package io.sparknn.sweep;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One run of a sweep in an open {@link SweepDirectory}: restores what an interrupted run recorded, runs the
 * remaining steps with the mode's {@link TrialRunner}, writes the report and marks the directory finished.
 */
public final class SweepSession {
  private final Sweep sweep;
  private final List<Trial> trials;
  private final SweepDirectory dir;
  private final SweepData data;
  private final JavaSparkContext sc;
  private String failFirstAttemptOf;
  private int interruptAfter = -1;

  public SweepSession(Sweep sweep, List<Trial> trials, SweepDirectory dir, SweepData data, JavaSparkContext sc) {
    this.sweep = sweep;
    this.trials = trials;
    this.dir = dir;
    this.data = data;
    this.sc = sc;
  }

  /** Test hook (task mode): every task of trial {@code id} fails on its first attempt, after one epoch. */
  public SweepSession failFirstAttemptOf(String id) {
    this.failFirstAttemptOf = id;
    return this;
  }

  /** Test hook: stop as a killed driver would, after {@code steps} steps are recorded. */
  public SweepSession interruptAfter(int steps) {
    this.interruptAfter = steps;
    return this;
  }

  public SweepResult run() {
    Map<String, TrialRecord> records = SweepRunner.records(trials);
    if (dir.resumed() && Files.exists(dir.resolve(SweepDirectory.TRIALS))) {
      TrialLog.restore(dir.resolve(SweepDirectory.TRIALS), records, sweep.budget());
    }
    try (TrialRunner runner = runner()) {
      SweepRunner loop = new SweepRunner(sweep, records, runner, dir).interruptAfter(interruptAfter);
      Trial first = trials.stream().filter(Trial::valid).findFirst().orElse(null);
      long done = records.values().stream().filter(r -> !r.rungs().isEmpty() || r.failedRung() != null).count();
      System.out.printf("sweep: %s, %d trials (%s search), %s, rungs %s epochs%s, mode %s, %d at once%n",
          sweep.name(), trials.size(), sweep.space().grid() ? "grid" : "random", sweep.objective().describe(),
          sweep.rungs(), sweep.earlyStopping() ? " (successive halving, factor " + sweep.factor() + ")"
              : " (early stopping off)", sweep.mode().name().toLowerCase(java.util.Locale.ROOT), loop.slots());
      if (first != null) {
        System.out.println("sweep: data: " + runner.describeData(first));
      }
      System.out.println("sweep: directory " + dir.path() + (dir.resumed()
          ? " (resuming: " + done + " trials had results and are not run again)" : ""));
      long t0 = System.nanoTime();
      TrialRecord best = loop.run();
      double wall = (System.nanoTime() - t0) / 1e9;
      SweepResult result = SweepReport.write(sweep, dir, loop.records(), best, runner, data, wall, loop.slots());
      dir.finish();
      return result;
    }
  }

  private TrialRunner runner() {
    return switch (sweep.mode()) {
      case TASK -> new TaskModeRunner(sc, data).failFirstAttemptOf(failFirstAttemptOf);
      case DISTRIBUTED -> new DistributedModeRunner(sc, data);
    };
  }
}
