package io.sparknn.train.spark;

import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.PackedFloats;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.apache.spark.SparkConf;

/**
 * The precision of what {@link SparkTrainer} sends over Spark every iteration: the weights it ships and the
 * gradient sums its tasks return. {@code FLOAT64} (the default) packs them bit-exact ({@link PackedDoubles});
 * {@code FLOAT32} rounds them (and the running statistics shipped with the weights) to float32
 * ({@link PackedFloats}), half the bytes. Either way the driver's master weights, the optimizer and the sums over
 * partitions stay float64, and so do the running-statistics sums the tasks return. The receiver tells the two
 * apart by the byte count, since it knows how many values to expect. The sliced aggregation's slices stay
 * float64. The Spark setting {@value #KEY} = {@code float64} or {@code float32}.
 */
public enum WireFormat {
  FLOAT64, FLOAT32;

  /** Spark setting: {@code float64} (the default) or {@code float32}. */
  public static final String KEY = "spark.sparknn.wire";

  /** The format {@code conf} asks for. */
  public static WireFormat of(SparkConf conf) {
    String v = conf.get(KEY, "float64").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "float64" -> FLOAT64;
      case "float32" -> FLOAT32;
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected float64 or float32");
    };
  }

  /** {@code parts} one after the other, packed in this format. */
  public byte[] pack(double[]... parts) {
    return this == FLOAT64 ? PackedDoubles.pack(parts) : PackedFloats.pack(parts);
  }

  /**
   * {@code parts} packed in this format into {@code buffer} if it has the right length, else into a new array;
   * returns the array written (a buffer reused from one iteration to the next).
   */
  byte[] packInto(byte[] buffer, double[]... parts) {
    long values = 0;
    for (double[] p : parts) {
      values += p.length;
    }
    long bytes = values * (this == FLOAT64 ? Double.BYTES : Float.BYTES);
    byte[] out = buffer != null && buffer.length == bytes ? buffer : new byte[Math.toIntExact(bytes)];
    if (this == FLOAT64) {
      PackedDoubles.packInto(out, parts);
    } else {
      PackedFloats.packInto(out, parts);
    }
    return out;
  }

  /**
   * {@code parts} packed in this format into a direct buffer: {@code buffer} (cleared) if it has the capacity,
   * else a new one; returns the buffer written, from position 0 to its limit. Direct, so that a socket sends it
   * without first copying it out of the heap.
   */
  ByteBuffer packDirect(ByteBuffer buffer, double[]... parts) {
    long values = 0;
    for (double[] p : parts) {
      values += p.length;
    }
    int bytes = Math.toIntExact(values * (this == FLOAT64 ? Double.BYTES : Float.BYTES));
    ByteBuffer out = buffer != null && buffer.capacity() >= bytes ? buffer.clear() : ByteBuffer.allocateDirect(bytes);
    out.limit(bytes);
    if (this == FLOAT64) {
      PackedDoubles.packInto(out, parts);
    } else {
      PackedFloats.packInto(out, parts);
    }
    return out;
  }

  /** The format of {@code packed}, which must hold {@code values} values in one of the two. */
  static WireFormat of(byte[] packed, int values, String what) {
    return of(packed.length, values, what);
  }

  /** The format of {@code bytes} bytes that must hold {@code values} values in one of the two. */
  static WireFormat of(int bytes, int values, String what) {
    if (bytes == (long) values * Double.BYTES) {
      return FLOAT64;
    }
    if (bytes == (long) values * Float.BYTES) {
      return FLOAT32;
    }
    throw new IllegalStateException(what + " holds " + bytes + " bytes, expected " + values
        + " values as float64 (" + values * 8L + " bytes) or float32 (" + values * 4L + " bytes)");
  }
}
