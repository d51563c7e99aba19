package io.sparknn.train.spark;

import io.sparknn.train.PartitionSums;
import java.io.IOException;

/**
 * The two ends of one task's connection in a {@link ChannelSession}: the driver sends rounds and a stop and
 * receives replies; the task receives rounds and sends replies. One round is in flight at a time. Closing either
 * end breaks the link for both, so a task that fails or a driver that gives up never leaves the other waiting.
 * {@link SocketLink} crosses the network; {@link SameJvmLink} hands objects over when the task runs inside the
 * driver's JVM (Spark local mode).
 */
interface ChannelLink extends AutoCloseable {
  /** Driver: the next iteration's work. */
  void sendRound(ChannelRound round) throws IOException;

  /** Driver: no more rounds in this session; the task returns. */
  void sendStop() throws IOException;

  /** Driver: the task's reply to the last round (valid until the next {@code receive}). */
  ChannelReply receive() throws IOException;

  /** Task: the next round, or null after a stop. */
  ChannelRound nextRound() throws IOException;

  /** Task: replies with {@code sums} (the gradient packed in {@code wire} if it crosses the network). */
  void reply(PartitionSums sums, WireFormat wire, long loadNs, long computeNs) throws IOException;

  @Override
  void close();
}
