package io.sparknn.train.spark;

import io.sparknn.data.Broadcasts;
import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * How an iteration's packed weights reach its tasks. {@code BROADCAST}: a {@code TorrentBroadcast} of their own,
 * created, fetched by every executor and removed each iteration. {@code TASK_BINARY}: a field of the iteration's
 * RDD, so they travel inside the stage's task binary, which Spark broadcasts for every stage anyway: one
 * broadcast per iteration instead of two, and one fetch round trip per executor instead of two (Spark removes
 * the task binary itself once the stage is gone). The Spark setting {@value #KEY} = {@code broadcast} (default)
 * or {@code task-binary}.
 */
public enum WeightsShipment {
  BROADCAST, TASK_BINARY;

  /** Spark setting: {@code broadcast} (the default) or {@code task-binary}. */
  public static final String KEY = "spark.sparknn.weights";

  /** The shipment {@code conf} asks for. */
  public static WeightsShipment of(SparkConf conf) {
    String v = conf.get(KEY, "broadcast").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "broadcast" -> BROADCAST;
      case "task-binary" -> TASK_BINARY;
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected broadcast or task-binary");
    };
  }

  /** The packed weights as the tasks will read them; {@link Shipped#close()} removes a broadcast. */
  Shipped ship(JavaSparkContext sc, byte[] packed) {
    return this == BROADCAST ? new ViaBroadcast(sc.broadcast(packed)) : new Inline(packed);
  }

  /** What a task reads its weights from; closing it (on the driver) releases what shipping created. */
  interface Shipped extends Serializable, AutoCloseable {
    byte[] value();

    @Override
    void close();

    /** As {@link #close()}, through {@code removal}'s background thread (null: here and now). */
    default void close(BroadcastRemoval removal) {
      close();
    }
  }

  private record ViaBroadcast(Broadcast<byte[]> broadcast) implements Shipped {
    @Override
    public byte[] value() {
      return broadcast.value();
    }

    @Override
    public void close() {
      Broadcasts.remove(broadcast);
    }

    @Override
    public void close(BroadcastRemoval removal) {
      if (removal == null) {
        close();
      } else {
        removal.remove(broadcast);
      }
    }
  }

  private record Inline(byte[] packed) implements Shipped {
    @Override
    public byte[] value() {
      return packed;
    }

    @Override
    public void close() {}
  }
}
