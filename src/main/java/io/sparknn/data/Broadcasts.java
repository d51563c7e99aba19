package io.sparknn.data;

import org.apache.spark.broadcast.Broadcast;

/**
 * Removes a broadcast the caller is done with, from the executors and the driver, without racing Spark's
 * ContextCleaner. The cleaner also tracks every broadcast and removes it once the {@code Broadcast} object has
 * been garbage-collected; {@code destroy()} only starts the removal, so a collection soon after (frequent on a
 * loaded machine) let both remove the same blocks at once, and the loser logged {@code ERROR ... Block
 * broadcast_N_pieceK does not exist}. Waiting for the removal keeps the object reachable until its blocks are
 * gone, so the cleaner's later pass finds nothing to remove.
 */
public final class Broadcasts {
  private Broadcasts() {}

  /** Removes {@code b}'s blocks everywhere and returns once they are gone. */
  public static void remove(Broadcast<?> b) {
    b.destroy(true);
  }
}
