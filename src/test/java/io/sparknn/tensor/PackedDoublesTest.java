package io.sparknn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedDoublesTest {
  private static final double[] ODD = {0.0, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.NaN,
      Double.POSITIVE_INFINITY, 1e-310, Math.PI};

  @Test
  void packThenUnpackIsBitExactAcrossParts() {
    double[] a = new SplittableRandom(3).doubles(1001).map(x -> x * 1e6 - 5e5).toArray();
    byte[] packed = PackedDoubles.pack(a, ODD);
    assertEquals(a.length + ODD.length, PackedDoubles.count(packed));
    double[] a2 = new double[a.length];
    double[] odd2 = new double[ODD.length];
    PackedDoubles.unpack(packed, 0, a2);
    PackedDoubles.unpack(packed, a.length, odd2);
    for (int i = 0; i < a.length; i++) {
      assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(a2[i]), "value " + i);
    }
    for (int i = 0; i < ODD.length; i++) {
      assertEquals(Double.doubleToRawLongBits(ODD[i]), Double.doubleToRawLongBits(odd2[i]), "odd value " + i);
    }
  }

  @Test
  void layoutIsLittleEndianFloat64() {
    byte[] packed = PackedDoubles.pack(new double[] {1.0});
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}, packed);
  }

  @Test
  void addToSumsLikeTheLoopItReplaces() {
    double[] g = {1.5, -2.0, 3.25};
    double[] sum = {10, 20, 30};
    PackedDoubles.addTo(PackedDoubles.pack(new double[] {9, 9}, g), 2, sum);
    assertArrayEquals(new double[] {11.5, 18.0, 33.25}, sum);
  }

  @Test
  void aLengthThatIsNotWholeDoublesIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackedDoubles.count(new byte[12]));
    assertEquals("packed doubles need a multiple of 8 bytes, got 12", e.getMessage());
  }
}
