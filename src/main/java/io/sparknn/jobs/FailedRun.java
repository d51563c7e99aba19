package io.sparknn.jobs;

import io.sparknn.io.Checkpoints;
import io.sparknn.io.ModelFiles;
import io.sparknn.run.JobMain;
import io.sparknn.run.RunDirectory;
import io.sparknn.train.TrainingDivergedException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * What a training job that failed leaves behind, and the sentence saying so at the end of its error: a run
 * with something to continue from (a complete checkpoint or a complete model) is kept, "resume with --resume
 * DIR"; a new run with nothing to continue from is removed (only what the job created), so the same
 * {@code output.run} can be used again; a resumed run is never removed. The error keeps its kind, so the exit
 * code is still the one {@link io.sparknn.run.JobMain} gives it.
 */
final class FailedRun {
  private FailedRun() {}

  /** Cleans up after {@code failure} in {@code run} and returns the error to throw, its message extended. */
  static RuntimeException handle(RunDirectory run, RuntimeException failure, Configuration hadoop, int keep) {
    Optional<String> checkpoint = Optional.empty();
    boolean model = false;
    try {
      checkpoint = new Checkpoints(run.path().toString(), hadoop, keep).newestComplete();
      model = ModelFiles.isComplete(run.resolve("model").toString(), hadoop);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    TrainingDivergedException diverged = JobMain.find(failure, TrainingDivergedException.class);
    String resume = "resume with --resume " + run;
    String outcome;
    if (checkpoint.isPresent() || model) {
      outcome = diverged == null ? "the run is kept: " + resume
          : "the run is kept; as it is it diverges again, so lower optimizer.lr or set optimizer.clip_norm in "
              + run.resolve("config.yaml") + ", then " + resume;
    } else if (run.resumed()) {
      outcome = "the run is kept, with no checkpoint yet (--resume starts it from the beginning): " + resume;
    } else {
      outcome = discard(run, failure);
    }
    if (diverged != null) {
      // withCheckpoint is the one way to extend a divergence's message; the exception type keeps exit code 3.
      return diverged.withCheckpoint(checkpoint.orElse("none written yet") + "; " + outcome);
    }
    IllegalArgumentException bad = JobMain.badInput(failure);
    if (bad != null) {
      return new IllegalArgumentException(bad.getMessage() + "; " + outcome, failure);
    }
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return new IllegalStateException(message + "; " + outcome, failure);
  }

  private static String discard(RunDirectory run, RuntimeException failure) {
    try {
      run.discard();
      return "nothing was kept: " + run + (java.nio.file.Files.exists(run.path()) ? " was emptied" : " was removed");
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      return "the run could not be removed (" + e.getMessage() + "); remove " + run + " by hand";
    }
  }
}
