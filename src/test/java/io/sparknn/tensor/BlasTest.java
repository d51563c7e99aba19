package io.sparknn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlasTest {
  private static Matrix random(int rows, int cols, long seed, int offset) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] d = new double[offset + rows * cols + 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextDouble(-1, 1);
    }
    return new Matrix(d, offset, rows, cols);
  }

  private static double op(Matrix m, boolean t, int r, int c) {
    return t ? m.get(c, r) : m.get(r, c);
  }

  @ParameterizedTest(name = "transA={0} transB={1}")
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void gemmMatchesTheTextbookLoopOnRowMajorViewsWithOffsets(boolean ta, boolean tb) {
    int m = 5;
    int k = 7;
    int n = 3;
    Matrix a = ta ? random(k, m, 1, 2) : random(m, k, 1, 2);
    Matrix b = tb ? random(n, k, 2, 5) : random(k, n, 2, 5);
    Matrix c = random(m, n, 3, 1);
    Matrix expected = c.copy();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += op(a, ta, i, p) * op(b, tb, p, j);
        }
        expected.set(i, j, 0.5 * s + 2.0 * expected.get(i, j));
      }
    }
    Blas.gemm(ta, tb, 0.5, a, b, 2.0, c);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(expected.get(i, j), c.get(i, j), 1e-12);
      }
    }
  }

  @Test
  void gemvAxpyScalAndDotAgreeWithLoops() {
    Matrix a = random(4, 3, 4, 1);
    double[] x = {1, -2, 0.5};
    double[] y = {1, 1, 1, 1};
    Blas.gemv(false, 1.0, a, x, 0, 1.0, y, 0);
    for (int i = 0; i < 4; i++) {
      assertEquals(1 + a.get(i, 0) - 2 * a.get(i, 1) + 0.5 * a.get(i, 2), y[i], 1e-12);
    }
    double[] z = {0, 0, 0};
    Blas.gemv(true, 1.0, a, new double[] {1, 0, 0, 1}, 0, 0.0, z, 0);
    assertEquals(a.get(0, 1) + a.get(3, 1), z[1], 1e-12);
    double[] v = {1, 2, 3};
    Blas.axpy(3, 2.0, new double[] {1, 1, 1}, 0, v, 0);
    Blas.scal(3, 0.5, v, 0);
    assertEquals(2.5, v[2], 0);
    assertEquals(1 * 1.5 + 2 * 2 + 3 * 2.5, Blas.dot(3, new double[] {1, 2, 3}, 0, v, 0), 1e-15);
  }

  @Test
  void gemmRejectsShapesThatDoNotAgree() {
    assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(false, false, 1, new Matrix(2, 3), new Matrix(2, 3), 0, new Matrix(2, 3)));
  }

  /** netlib's native implementation if it loads on this machine, else its pure-Java one. */
  private static String fastestAvailable() {
    try {
      return dev.ludovic.netlib.blas.NativeBLAS.getInstance().getClass().getSimpleName();
    } catch (RuntimeException | LinkageError noNativeLibrary) {
      return dev.ludovic.netlib.blas.JavaBLAS.getInstance().getClass().getSimpleName();
    }
  }

  @Test
  void theImplementationNamedIsTheFastestThisMachineOffers() {
    // Native (JNIBLAS) when a system BLAS loads, the Vector API or plain Java otherwise: never the slow
    // fallback while a faster one works, and the name logged is the one computing.
    assertEquals(fastestAvailable(), Blas.implementation());
  }
}
