package io.sparknn.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * float64 vectors rounded to float32 and packed as little-endian bytes: half the bytes of {@link PackedDoubles}
 * for the weights and gradient sums that cross Spark every iteration, at the price of float32 precision on the
 * wire. Packing rounds each value to nearest ({@code (float) x}); unpacking widens exactly, so the same inputs
 * always give the same doubles back. The {@link ByteBuffer} forms work on the bytes from the buffer's position to
 * its limit, as {@link PackedDoubles}'s do.
 */
public final class PackedFloats {
  private PackedFloats() {}

  /** {@code parts} one after the other, each value rounded to float32 and packed. */
  public static byte[] pack(double[]... parts) {
    long n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    if (n > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException(n + " values do not fit one packed array");
    }
    byte[] bytes = new byte[(int) n * Float.BYTES];
    FloatBuffer view = view(ByteBuffer.wrap(bytes));
    for (double[] p : parts) {
      for (double x : p) {
        view.put((float) x);
      }
    }
    return bytes;
  }

  /** {@code parts} one after the other, rounded and packed into {@code into}, which must hold exactly that many. */
  public static void packInto(byte[] into, double[]... parts) {
    packInto(ByteBuffer.wrap(into), parts);
  }

  /** As {@link #packInto(byte[], double[]...)}, into {@code into}'s remaining bytes. */
  public static void packInto(ByteBuffer into, double[]... parts) {
    FloatBuffer view = view(into);
    for (double[] p : parts) {
      for (double x : p) {
        view.put((float) x);
      }
    }
    if (view.hasRemaining()) {
      throw new IllegalArgumentException(view.remaining() + " floats of " + into.remaining()
          + " bytes left unwritten");
    }
  }

  /** How many values {@code packed} holds. */
  public static int count(byte[] packed) {
    if (packed.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("packed floats need a multiple of 4 bytes, got " + packed.length);
    }
    return packed.length / Float.BYTES;
  }

  /** Widens {@code into.length} values starting at value {@code from} of {@code packed} into {@code into}. */
  public static void unpack(byte[] packed, int from, double[] into) {
    unpack(ByteBuffer.wrap(packed), from, into);
  }

  /** As {@link #unpack(byte[], int, double[])}, from {@code packed}'s remaining bytes. */
  public static void unpack(ByteBuffer packed, int from, double[] into) {
    FloatBuffer v = view(packed);
    for (int i = 0; i < into.length; i++) {
      into[i] = v.get(from + i);
    }
  }

  /** Adds {@code into.length} widened values starting at value {@code from} of {@code packed} to {@code into}. */
  public static void addTo(byte[] packed, int from, double[] into) {
    addTo(ByteBuffer.wrap(packed), from, into);
  }

  /** As {@link #addTo(byte[], int, double[])}, from {@code packed}'s remaining bytes. */
  public static void addTo(ByteBuffer packed, int from, double[] into) {
    FloatBuffer v = view(packed);
    for (int i = 0; i < into.length; i++) {
      into[i] += v.get(from + i);
    }
  }

  private static FloatBuffer view(ByteBuffer bytes) {
    return bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
