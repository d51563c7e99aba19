package io.sparknn.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Doubles packed without their {@code +0.0} entries: a bit mask of the entries present (one little-endian long
 * per 64 values, bit set = stored), then the stored values in order, as little-endian IEEE 754 bits. A gradient
 * sum over a small batch has many exact zeros (the weights of input pixels that are blank in every row of the
 * batch), so this is then smaller than {@link PackedDoubles}. Only the bit pattern of {@code +0.0} is left out:
 * {@code -0.0}, NaN and every other value come back bit for bit, and adding the packed values into a sum that
 * started from {@code +0.0} leaves the same bits as adding the dense ones (such a sum is never {@code -0.0}, and
 * {@code x + 0.0 == x} for every other {@code x}). The {@link ByteBuffer} forms write and read from the
 * buffer's position, leaving its position, limit and byte order as they were.
 */
public final class ZeroElidedDoubles {
  private ZeroElidedDoubles() {}

  /** The largest packed size of {@code n} values (none of them {@code +0.0}). */
  public static int maxBytes(int n) {
    return Math.toIntExact(maskWords(n) * (long) Long.BYTES + n * (long) Double.BYTES);
  }

  /** Packs {@code values} into {@code into} (at least {@link #maxBytes} long) and returns the bytes written. */
  public static int packInto(byte[] into, double[] values) {
    return packInto(ByteBuffer.wrap(into), values);
  }

  /** As {@link #packInto(byte[], double[])}, from {@code into}'s position. */
  public static int packInto(ByteBuffer buffer, double[] values) {
    return packInto(buffer, values, 0, values.length);
  }

  /** As {@link #packInto(ByteBuffer, double[])}, the {@code n} values {@code values[offset .. offset + n)}. */
  public static int packInto(ByteBuffer buffer, double[] values, int offset, int n) {
    Objects.checkFromIndexSize(offset, n, values.length);
    ByteBuffer into = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    int words = maskWords(n);
    int pos = words * Long.BYTES;
    for (int w = 0; w < words; w++) {
      int base = w << 6;
      int end = Math.min(base + 64, n);
      long mask = 0;
      for (int i = base; i < end; i++) {
        long bits = Double.doubleToRawLongBits(values[offset + i]);
        if (bits != 0) {
          mask |= 1L << (i - base);
          into.putLong(pos, bits);
          pos += Long.BYTES;
        }
      }
      into.putLong(w * Long.BYTES, mask);
    }
    return pos;
  }

  /** Adds the {@code into.length} values packed in {@code packed}'s first {@code length} bytes to {@code into}. */
  public static void addTo(byte[] packed, int length, double[] into) {
    addTo(ByteBuffer.wrap(packed), length, into);
  }

  /** As {@link #addTo(byte[], int, double[])}, from {@code buffer}'s position. */
  public static void addTo(ByteBuffer buffer, int length, double[] into) {
    read(buffer, length, into, 0, into.length, true);
  }

  /**
   * As {@link #addTo(ByteBuffer, int, double[])}, the {@code n} values packed added to
   * {@code into[offset .. offset + n)}: one slice of a longer vector.
   */
  public static void addTo(ByteBuffer buffer, int length, double[] into, int offset, int n) {
    read(buffer, length, into, offset, n, true);
  }

  /**
   * Writes the {@code into.length} values packed in the first {@code length} bytes from {@code buffer}'s position
   * to {@code into}, the left-out ones as {@code +0.0}: every value bit for bit, {@code -0.0} included.
   */
  public static void unpack(ByteBuffer buffer, int length, double[] into) {
    unpack(buffer, length, into, 0, into.length);
  }

  /** As {@link #unpack(ByteBuffer, int, double[])}, the {@code n} values packed written to {@code into[offset ..)}. */
  public static void unpack(ByteBuffer buffer, int length, double[] into, int offset, int n) {
    Arrays.fill(into, offset, offset + n, 0.0);
    read(buffer, length, into, offset, n, false);
  }

  private static void read(ByteBuffer buffer, int length, double[] into, int offset, int n, boolean add) {
    Objects.checkFromIndexSize(offset, n, into.length);
    ByteBuffer packed = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    int words = maskWords(n);
    int pos = words * Long.BYTES;
    if (length < pos || length > packed.limit()) {
      throw new IllegalArgumentException(length + " bytes cannot hold the mask of " + n + " zero-elided doubles ("
          + pos + " bytes)");
    }
    for (int w = 0; w < words; w++) {
      long mask = packed.getLong(w * Long.BYTES);
      int base = w << 6;
      boolean pastEnd = n - base < 64 && mask >>> (n - base) != 0;
      if (pastEnd || Long.bitCount(mask) * Long.BYTES > length - pos) {
        throw new IllegalArgumentException("zero-elided doubles: the mask of values from " + base + " names "
            + (pastEnd ? "values past " + n : "more values than the " + length + " bytes hold"));
      }
      while (mask != 0) {
        int b = Long.numberOfTrailingZeros(mask);
        double v = Double.longBitsToDouble(packed.getLong(pos));
        int i = offset + base + b;
        into[i] = add ? into[i] + v : v;
        pos += Long.BYTES;
        mask &= mask - 1;
      }
    }
    if (pos != length) {
      throw new IllegalArgumentException("zero-elided doubles: " + (length - pos) + " bytes left after the "
          + n + " values");
    }
  }

  private static int maskWords(int n) {
    return (n + 63) >>> 6;
  }
}
