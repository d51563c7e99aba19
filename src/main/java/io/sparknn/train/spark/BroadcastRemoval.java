package io.sparknn.train.spark;

import io.sparknn.data.Broadcasts;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkConf;
import org.apache.spark.broadcast.Broadcast;

/**
 * Removes {@link SparkTrainer}'s spent weight broadcasts off the iteration's critical path: one daemon thread
 * runs {@link Broadcasts#remove} (blocking until the blocks are gone everywhere) for each in turn while the
 * driver goes on with the next iteration. The queued task holds the {@code Broadcast} until its removal has
 * finished, which is what keeps Spark's ContextCleaner from removing the same blocks at the same time. At most
 * {@value #MAX_PENDING} removals wait at once (a slower removal then holds the loop back rather than letting
 * the executors' memory fill with spent broadcasts), and {@link #drain} waits for all of them: {@code fit} calls
 * it before returning, also after a failure. The Spark setting {@value #KEY} = {@code auto} (default),
 * {@code background} or {@code blocking} (remove inside the iteration). {@code auto} is {@code background} in local
 * mode, where the removal is the driver's own work and overlapping it pays, and {@code blocking} on a cluster,
 * where the harness measured the overlapped removal slowing the next iteration's fetches by as much as it saved.
 */
final class BroadcastRemoval implements AutoCloseable {
  /** Spark setting: {@code auto} (the default), {@code background} or {@code blocking}. */
  static final String KEY = "spark.sparknn.broadcast.removal";
  private static final int MAX_PENDING = 2;

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sparknn-broadcast-removal");
    t.setDaemon(true);
    return t;
  });
  private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();

  /** Whether {@code conf} asks for removals in the background ({@code auto}: when the master is local). */
  static boolean inBackground(SparkConf conf) {
    String v = conf.get(KEY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "auto" -> conf.get("spark.master", "").startsWith("local");
      case "background" -> true;
      case "blocking" -> false;
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected auto, background or blocking");
    };
  }

  /** Queues {@code b}'s removal; waits first while {@value #MAX_PENDING} are still queued. */
  void remove(Broadcast<?> b) {
    while (pending.size() >= MAX_PENDING) {
      await(pending.poll());
    }
    pending.add(thread.submit(() -> Broadcasts.remove(b)));
  }

  /** Returns once every queued removal has finished; throws the first one's failure. */
  void drain() {
    RuntimeException first = null;
    while (!pending.isEmpty()) {
      try {
        await(pending.poll());
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Drains, then stops the thread. */
  @Override
  public void close() {
    try {
      drain();
    } finally {
      thread.shutdown();
    }
  }

  private static void await(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while removing a weight broadcast", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("removing a weight broadcast failed: " + e.getCause(), e.getCause());
    }
  }
}
