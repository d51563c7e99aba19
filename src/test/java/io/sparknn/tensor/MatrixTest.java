package io.sparknn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MatrixTest {
  @Test
  void aViewReadsAndWritesTheSharedArrayRowMajor() {
    double[] d = {9, 1, 2, 3, 4, 5, 6};
    Matrix m = new Matrix(d, 1, 2, 3);
    assertEquals(4, m.get(1, 0));
    m.set(0, 2, 7);
    assertEquals(7, d[3]);
    assertEquals(5, m.rowRange(1, 2).get(0, 1));
  }

  @Test
  void wrapRequiresTheExactLength() {
    assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(new double[5], 2, 3));
    assertEquals(3, Matrix.wrap(new double[6], 2, 3).cols());
  }

  @Test
  void outOfRangeAccessIsRefused() {
    Matrix m = new Matrix(2, 2);
    assertThrows(IndexOutOfBoundsException.class, () -> m.get(2, 0));
    assertThrows(IllegalArgumentException.class, () -> new Matrix(new double[3], 1, 2, 2));
  }

  @Test
  void reuseKeepsTheBufferWhenItFits() {
    Matrix big = new Matrix(10, 4);
    assertSame(big, Matrix.reuse(big, 10, 4));
    assertSame(big.data(), Matrix.reuse(big, 3, 4).data());
    assertEquals(11, Matrix.reuse(big, 11, 4).rows());
  }
}
