package io.sparknn.sweep;

import io.sparknn.config.ConfigException;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The hyperparameter sweep job: {@code spark-submit --class io.sparknn.sweep.SweepJob sparknn.jar --config
 * SWEEP.yaml [--set key=value ...]} (the overrides apply to the sweep file). It validates the sweep and every
 * trial's config and reads the data before Spark starts, then runs the trials ({@code mode: task} or
 * {@code distributed}) with successive halving, and leaves a sweep directory with {@code trials.jsonl},
 * {@code leaderboard.csv}/{@code .md}, the best model, {@code best-config.yaml}, charts and {@code summary.json}.
 * Running the same command again resumes an interrupted sweep; a finished one is never written over. Exit
 * codes: 0 done (failed trials are results, not errors), 2 bad input (sweep, config values of the base, data),
 * 1 anything else.
 */
public final class SweepJob {
  private SweepJob() {}

  public static void main(String[] args) {
    JobMain.exit("SweepJob", () -> sweep(args, null));
  }

  /**
   * Runs the sweep; with {@code existing} null it starts and stops its own Spark session (FAIR scheduling in
   * distributed mode), otherwise it uses {@code existing} and leaves it running.
   */
  public static SweepResult sweep(String[] args, JavaSparkContext existing) {
    JobArguments a = JobArguments.parse(args);
    if (a.help() || a.config() == null || a.resume() != null || !a.positional().isEmpty()) {
      throw new ConfigException("usage: SweepJob --config SWEEP.yaml [--set key=value ...] "
          + "(run the same command again to resume an interrupted sweep)");
    }
    Sweep sweep = Sweep.load(Path.of(a.config()), a.overrides());
    List<Trial> trials = TrialPlanner.plan(sweep);
    SweepData data = new SweepData();
    trials.stream().filter(Trial::valid).forEach(t -> data.get(t.train()));
    try (SweepDirectory dir = SweepDirectory.open(sweep)) {
      JavaSparkContext sc = existing != null ? existing
          : SparkSetup.start("sparknn sweep " + sweep.name(), sweep.mode() == Sweep.Mode.DISTRIBUTED
              ? Map.of("spark.scheduler.mode", "FAIR") : Map.of());
      try {
        return new SweepSession(sweep, trials, dir, data, sc).run();
      } finally {
        if (existing == null) {
          sc.stop();
        }
      }
    }
  }
}
