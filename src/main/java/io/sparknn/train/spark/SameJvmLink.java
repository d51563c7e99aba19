package io.sparknn.train.spark;

import io.sparknn.train.PartitionSums;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChannelLink} for a task running in the driver's JVM (Spark local mode): rounds and replies are handed
 * over by reference through two one-slot queues, so nothing is packed or copied. A float64 reply is the task's
 * own gradient array, which it does not touch again until the driver, having added it, sends the next round; a
 * float32 reply is packed (into a buffer the task reuses) so the driver adds the same rounded values as from
 * the network. The driver registers a session's links under its id before the stage starts ({@link #open}); a
 * task finds its link there by partition.
 */
final class SameJvmLink implements ChannelLink {
  private static final Object STOP = new Object();
  private static final long POLL_MS = 50;
  private static final Map<String, SameJvmLink[]> OPEN = new ConcurrentHashMap<>();

  private final ArrayBlockingQueue<Object> toTask = new ArrayBlockingQueue<>(1);
  private final ArrayBlockingQueue<Object> toDriver = new ArrayBlockingQueue<>(1);
  private volatile boolean closed;
  private byte[] packed;

  /** Creates and registers {@code partitions} links for session {@code id}. */
  static SameJvmLink[] open(String id, int partitions) {
    SameJvmLink[] links = new SameJvmLink[partitions];
    for (int p = 0; p < partitions; p++) {
      links[p] = new SameJvmLink();
    }
    OPEN.put(id, links);
    return links;
  }

  /** Partition {@code p}'s link of session {@code id} if it is open in this JVM, else null. */
  static SameJvmLink find(String id, int p) {
    SameJvmLink[] links = OPEN.get(id);
    return links == null || p >= links.length ? null : links[p];
  }

  /** Unregisters session {@code id} (its links stay usable by whoever holds them until closed). */
  static void forget(String id) {
    OPEN.remove(id);
  }

  @Override
  public void sendRound(ChannelRound round) throws IOException {
    put(toTask, round);
  }

  @Override
  public void sendStop() throws IOException {
    put(toTask, STOP);
  }

  @Override
  public ChannelReply receive() throws IOException {
    return (ChannelReply) take(toDriver);
  }

  @Override
  public ChannelRound nextRound() throws IOException {
    Object o = take(toTask);
    return o == STOP ? null : (ChannelRound) o;
  }

  @Override
  public void reply(PartitionSums sums, WireFormat wire, long loadNs, long computeNs) throws IOException {
    ChannelReply r;
    if (wire == WireFormat.FLOAT32) {
      packed = wire.packInto(packed, sums.gradientSum());
      r = new ChannelReply(ByteBuffer.wrap(packed), ChannelReply.Form.DENSE, null, sums.lossSum(), sums.rows(),
          sums.stateSum(), loadNs, computeNs);
    } else {
      r = ChannelReply.unpacked(sums.gradientSum(), sums.lossSum(), sums.rows(), sums.stateSum(), loadNs,
          computeNs);
    }
    put(toDriver, r);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void put(ArrayBlockingQueue<Object> q, Object o) throws IOException {
    if (closed) {
      throw new IOException("the channel is closed");
    }
    if (!q.offer(o)) {
      throw new IllegalStateException("a channel message was sent before the last one was taken");
    }
  }

  private Object take(ArrayBlockingQueue<Object> q) throws IOException {
    try {
      while (true) {
        Object o = q.poll(POLL_MS, TimeUnit.MILLISECONDS);
        if (o != null) {
          return o;
        }
        if (closed) {
          throw new IOException("the channel was closed by the other end");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting on the channel");
    }
  }
}
