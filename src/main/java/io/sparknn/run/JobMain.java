package io.sparknn.run;

import io.sparknn.train.TrainingDivergedException;
import java.util.concurrent.Callable;

/**
 * How every job's and experiment's {@code main} ends: exit code 0 when done; 2 with one line for bad input
 * (configs, data and model files raise {@link IllegalArgumentException}s whose messages name the file or key);
 * 3 for a diverged run; 1 with the stack trace for anything unexpected. Spark wraps an exception thrown on an
 * executor in its own, so the cause chain is searched: bad input that sparknn's code found in a task is still
 * bad input, while an {@code IllegalArgumentException} of a library's own (Kryo's, say) is a failure.
 */
public final class JobMain {
  /** Exit code of a finished job. */
  public static final int DONE = 0;
  /** Exit code of anything unexpected. */
  public static final int FAILED = 1;
  /** Exit code of bad input. */
  public static final int BAD_INPUT = 2;
  /** Exit code of a diverged run. */
  public static final int DIVERGED = 3;

  private JobMain() {}

  /** Runs {@code body} and exits the JVM with its code unless it is 0 (then {@code main} returns normally). */
  public static void exit(String job, Callable<?> body) {
    int code = run(job, body);
    if (code != DONE) {
      System.exit(code);
    }
  }

  /** Runs {@code body}, reports its failure on stderr, and returns the exit code. */
  public static int run(String job, Callable<?> body) {
    try {
      body.call();
      return DONE;
    } catch (Exception e) {
      Throwable diverged = find(e, TrainingDivergedException.class);
      if (diverged != null) {
        System.err.println(job + ": error: " + diverged.getMessage());
        return DIVERGED;
      }
      Throwable bad = badInput(e);
      if (bad != null) {
        System.err.println(job + ": error: " + bad.getMessage());
        return BAD_INPUT;
      }
      System.err.println(job + ": failed: " + e);
      e.printStackTrace();
      return FAILED;
    }
  }

  /**
   * The bad input {@code e} reports, or null: {@code e} itself when it is an {@code IllegalArgumentException},
   * else the outermost one among its causes that sparknn's code threw (a library's own is a failure).
   */
  public static IllegalArgumentException badInput(Throwable e) {
    if (e instanceof IllegalArgumentException bad) {
      return bad;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      StackTraceElement[] at = t.getStackTrace();
      if (t instanceof IllegalArgumentException bad && at.length > 0
          && at[0].getClassName().startsWith("io.sparknn.")) {
        return bad;
      }
    }
    return null;
  }

  /** The outermost throwable of {@code type} in {@code e}'s cause chain, or null. */
  public static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
