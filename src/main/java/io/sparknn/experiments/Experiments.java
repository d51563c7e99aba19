package io.sparknn.experiments;

import io.sparknn.train.TrainingDivergedException;
import java.util.concurrent.Callable;

/**
 * How an experiment's {@code main} ends, as {@code TrainJob}'s does: exit code 0 when done, 2 with one line
 * naming the key or file for bad input ({@link IllegalArgumentException}, which config errors are), 3 for a
 * diverged run, 1 with the stack trace for anything unexpected.
 */
final class Experiments {
  private Experiments() {}

  static void exit(String name, Callable<?> body) {
    int code;
    try {
      body.call();
      code = 0;
    } catch (TrainingDivergedException e) {
      System.err.println(name + ": error: " + e.getMessage());
      code = 3;
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": error: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println(name + ": failed: " + e);
      e.printStackTrace();
      code = 1;
    }
    if (code != 0) {
      System.exit(code);
    }
  }
}
