package io.sparknn.train.spark;

import java.io.Serializable;

/**
 * A failure the tests and the memory soak inject into training tasks to watch the recovery: partition 0's first
 * attempt throws at a chosen iteration, or at every positive multiple of a period. "First attempt" is Spark's
 * task attempt in the per-iteration jobs and the session's generation in a {@link ChannelSession}.
 */
record InjectedFault(long at, long every) implements Serializable {
  static final InjectedFault NONE = new InjectedFault(-1, 0);

  void check(long iteration, int partition, int attempt) {
    boolean chosen = iteration == at || (every > 0 && iteration > 0 && iteration % every == 0);
    if (chosen && partition == 0 && attempt == 0) {
      throw new IllegalStateException("injected failure of partition 0 at iteration " + iteration);
    }
  }
}
