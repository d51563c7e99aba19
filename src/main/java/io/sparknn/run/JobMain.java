package io.sparknn.run;

import io.sparknn.train.TrainingDivergedException;
import java.util.concurrent.Callable;

/**
 * Runs a job's body and turns its failure into one clear line on stderr and an exit code: 2 for bad input
 * (configs, data and model files: {@link IllegalArgumentException}s, whose messages name the file or key),
 * 3 for a diverged run, 1 (with the stack trace) for anything unexpected.
 */
public final class JobMain {
  private JobMain() {}

  public static int run(String job, Callable<?> body) {
    try {
      body.call();
      return 0;
    } catch (TrainingDivergedException e) {
      System.err.println(job + ": error: " + e.getMessage());
      return 3;
    } catch (IllegalArgumentException e) {
      System.err.println(job + ": error: " + rootMessage(e));
      return 2;
    } catch (Exception e) {
      System.err.println(job + ": failed: " + e);
      e.printStackTrace();
      return 1;
    }
  }

  /** Spark wraps executor-side errors; the innermost message is the one that names the problem. */
  private static String rootMessage(Throwable e) {
    return e.getMessage();
  }
}
