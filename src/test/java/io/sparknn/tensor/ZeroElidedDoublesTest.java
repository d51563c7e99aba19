package io.sparknn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packing without +0.0 entries: sizes, the bits of every sum, and the refusal of a malformed pack. */
class ZeroElidedDoublesTest {
  /** The sum {@code base + values} taken densely, as the driver's gradient sum does, compared bit for bit. */
  private static void assertSameSum(double[] base, double[] values) {
    double[] dense = base.clone();
    for (int i = 0; i < values.length; i++) {
      dense[i] += values[i];
    }
    byte[] packed = new byte[ZeroElidedDoubles.maxBytes(values.length)];
    int length = ZeroElidedDoubles.packInto(packed, values);
    double[] elided = base.clone();
    ZeroElidedDoubles.addTo(packed, length, elided);
    for (int i = 0; i < values.length; i++) {
      assertEquals(Double.doubleToRawLongBits(dense[i]), Double.doubleToRawLongBits(elided[i]), "value " + i);
    }
  }

  @Test
  void onlyPositiveZerosAreLeftOutAndEverySumKeepsItsBits() {
    double[] values = {0.0, -0.0, Double.NaN, 1.5, 0.0, Double.MIN_VALUE, -3.25, Double.NEGATIVE_INFINITY, 0.0};
    byte[] packed = new byte[ZeroElidedDoubles.maxBytes(values.length)];
    // One mask word, then the six values that are not +0.0.
    assertEquals(Long.BYTES + 6 * Double.BYTES, ZeroElidedDoubles.packInto(packed, values));
    // Sums started from +0.0 (never -0.0 afterwards) and from other values, including -0.0 itself.
    assertSameSum(new double[values.length], values);
    assertSameSum(new double[] {1, 2, -0.0, 4, 5, 6, 7, 8, 9}, values);
  }

  @Test
  void unpackingGivesBackEveryValueBitForBitOverWhateverTheBufferHeld() {
    // What a node of the fixed shards' tree is read as: -0.0 stays -0.0 (added into +0.0 it would not).
    double[] values = {0.0, -0.0, Double.NaN, 1.5, 0.0, Double.MIN_VALUE, -3.25, Double.NEGATIVE_INFINITY, 0.0};
    byte[] packed = new byte[ZeroElidedDoubles.maxBytes(values.length)];
    int length = ZeroElidedDoubles.packInto(packed, values);
    double[] into = {7, 7, 7, 7, 7, 7, 7, 7, 7};
    ZeroElidedDoubles.unpack(java.nio.ByteBuffer.wrap(packed), length, into);
    for (int i = 0; i < values.length; i++) {
      assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(into[i]), "value " + i);
    }
  }

  @Test
  void aGradientWithBlankColumnsPacksSmallerAcrossMaskWordsAndAddsTheSameBits() {
    Random r = new Random(3);
    double[] values = new double[1000];  // 16 mask words, the last one partly used
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 3 == 0 ? 0.0 : r.nextGaussian();
    }
    byte[] packed = new byte[ZeroElidedDoubles.maxBytes(values.length)];
    int length = ZeroElidedDoubles.packInto(packed, values);
    assertEquals(16 * Long.BYTES + 666 * Double.BYTES, length);
    assertTrue(length < values.length * Double.BYTES);
    double[] base = new double[values.length];
    for (int i = 0; i < base.length; i++) {
      base[i] = r.nextGaussian();
    }
    assertSameSum(base, values);
    assertSameSum(new double[values.length], values);
    double[] none = new double[values.length];
    assertEquals(16 * Long.BYTES, ZeroElidedDoubles.packInto(packed, none));
  }

  @Test
  void aTruncatedOrOverlongPackIsRefusedByWhatIsWrong() {
    double[] values = {1, 2, 3};
    byte[] packed = new byte[ZeroElidedDoubles.maxBytes(values.length)];
    int length = ZeroElidedDoubles.packInto(packed, values);
    double[] into = new double[3];
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroElidedDoubles.addTo(packed, length - 8, into))
        .getMessage().contains("more values than"));
    // The mask read as four values: one past the end.
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroElidedDoubles.addTo(packed, length,
        new double[2])).getMessage().contains("values past 2"));
    byte[] longer = java.util.Arrays.copyOf(packed, length + 8);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroElidedDoubles.addTo(longer, length + 8, into))
        .getMessage().contains("8 bytes left"));
  }

  @Test
  void aSliceGoesToItsPlaceInALongerVectorAndNowhereElse() {
    double[] slice = {0.0, -0.0, 2.5, 0.0, -1};
    byte[] packed = new byte[ZeroElidedDoubles.maxBytes(slice.length)];
    int length = ZeroElidedDoubles.packInto(packed, slice);
    double[] added = {9, 0.0, 0.0, 0.0, 0.0, 0.0, 9};
    ZeroElidedDoubles.addTo(java.nio.ByteBuffer.wrap(packed), length, added, 1, slice.length);
    double[] written = {9, 7, 7, 7, 7, 7, 9};
    ZeroElidedDoubles.unpack(java.nio.ByteBuffer.wrap(packed), length, written, 1, slice.length);
    double[] expectedAdded = {9, 0.0, 0.0, 2.5, 0.0, -1, 9};  // +0.0 + -0.0 is +0.0, as the dense sum's
    double[] expectedWritten = {9, 0.0, -0.0, 2.5, 0.0, -1, 9};
    for (int i = 0; i < added.length; i++) {
      assertEquals(Double.doubleToRawLongBits(expectedAdded[i]), Double.doubleToRawLongBits(added[i]), "added " + i);
      assertEquals(Double.doubleToRawLongBits(expectedWritten[i]), Double.doubleToRawLongBits(written[i]),
          "written " + i);
    }
    assertThrows(IndexOutOfBoundsException.class,
        () -> ZeroElidedDoubles.addTo(java.nio.ByteBuffer.wrap(packed), length, new double[5], 1, slice.length));
  }
}
