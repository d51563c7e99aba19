package io.sparknn.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * float64 vectors packed as little-endian bytes, for what crosses Spark every iteration (the broadcast weights,
 * the gradient sums). Java serialization writes a {@code double[]} element by element but a {@code byte[]} as a
 * block copy, and packing and unpacking are bulk buffer copies (the README's Performance section has the
 * figures). The values are bit-exact: nothing is rounded. The {@link ByteBuffer} forms read or write the bytes
 * from the buffer's position to its limit, leaving position, limit and byte order as they were, so a direct
 * buffer can go to a socket without another copy.
 */
public final class PackedDoubles {
  private PackedDoubles() {}

  /** {@code parts} one after the other, packed. */
  public static byte[] pack(double[]... parts) {
    long n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    if (n > Integer.MAX_VALUE / Double.BYTES) {
      throw new IllegalArgumentException(n + " values do not fit one packed array");
    }
    byte[] bytes = new byte[(int) n * Double.BYTES];
    DoubleBuffer view = view(ByteBuffer.wrap(bytes));
    for (double[] p : parts) {
      view.put(p);
    }
    return bytes;
  }

  /** {@code parts} one after the other, packed into {@code into}, which must hold exactly that many doubles. */
  public static void packInto(byte[] into, double[]... parts) {
    packInto(ByteBuffer.wrap(into), parts);
  }

  /** As {@link #packInto(byte[], double[]...)}, into {@code into}'s remaining bytes. */
  public static void packInto(ByteBuffer into, double[]... parts) {
    DoubleBuffer view = view(into);
    for (double[] p : parts) {
      view.put(p);
    }
    if (view.hasRemaining()) {
      throw new IllegalArgumentException(view.remaining() + " doubles of " + into.remaining()
          + " bytes left unwritten");
    }
  }

  /** How many values {@code packed} holds. */
  public static int count(byte[] packed) {
    if (packed.length % Double.BYTES != 0) {
      throw new IllegalArgumentException("packed doubles need a multiple of 8 bytes, got " + packed.length);
    }
    return packed.length / Double.BYTES;
  }

  /** Copies {@code into.length} values starting at value {@code from} of {@code packed} into {@code into}. */
  public static void unpack(byte[] packed, int from, double[] into) {
    unpack(ByteBuffer.wrap(packed), from, into);
  }

  /** As {@link #unpack(byte[], int, double[])}, from {@code packed}'s remaining bytes. */
  public static void unpack(ByteBuffer packed, int from, double[] into) {
    view(packed).position(from).get(into);
  }

  /** Adds {@code into.length} values starting at value {@code from} of {@code packed} to {@code into}. */
  public static void addTo(byte[] packed, int from, double[] into) {
    addTo(ByteBuffer.wrap(packed), from, into);
  }

  /** As {@link #addTo(byte[], int, double[])}, from {@code packed}'s remaining bytes. */
  public static void addTo(ByteBuffer packed, int from, double[] into) {
    DoubleBuffer v = view(packed);
    for (int i = 0; i < into.length; i++) {
      into[i] += v.get(from + i);
    }
  }

  private static DoubleBuffer view(ByteBuffer bytes) {
    return bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
  }
}
