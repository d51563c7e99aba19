package io.sparknn.train.spark;

import java.nio.ByteBuffer;

/**
 * What the driver sends a {@link ChannelSession}'s task for one iteration: the step of the schedule, the weights
 * and running statistics to start it from, and how many times this step has been restarted after a lost channel
 * (the attempt number an {@link InjectedFault} looks at). The weights come packed (as they cross the network, or
 * rounded to float32: the bytes from the buffer's position to its limit, which readers leave as they are, since
 * the driver sends one buffer to every task) or, to a task in the driver's JVM, as the driver's own arrays, which
 * it leaves untouched until every task has replied.
 */
record ChannelRound(int epoch, int step, int attempt, ByteBuffer packed, double[] parameters, double[] state) {

  /** Loads this round's weights and running statistics into {@code replica}. */
  void loadInto(Replica replica) {
    if (packed != null) {
      replica.load(packed);
    } else {
      replica.load(parameters, state);
    }
  }
}
