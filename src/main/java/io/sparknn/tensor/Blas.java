package io.sparknn.tensor;

import dev.ludovic.netlib.blas.BLAS;
import java.util.logging.Logger;

/**
 * The one place in sparknn that calls netlib BLAS ({@code dev.ludovic.netlib}), in row-major terms.
 *
 * <p>netlib is column-major; a row-major {@code m × n} matrix is the column-major {@code n × m} transpose, so
 * {@code C = op(A)·op(B)} is computed as {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} with the operands swapped. Which
 * implementation netlib picked ({@code JNIBLAS} → the system's {@code libblas.so.3}, {@code VectorBLAS}, or
 * {@code Java11BLAS}) is logged once, when this class is first used; {@link #implementation()} names it.
 */
public final class Blas {
  private static final BLAS BLAS_IMPL = BLAS.getInstance();

  static {
    Logger.getLogger(Blas.class.getName()).info("sparknn BLAS: " + implementation());
  }

  private Blas() {}

  /** The simple class name of the netlib implementation in use, e.g. {@code JNIBLAS}. */
  public static String implementation() {
    return BLAS_IMPL.getClass().getSimpleName();
  }

  /**
   * {@code c = alpha · op(a) · op(b) + beta · c}, where {@code op(x)} is {@code x} or its transpose.
   *
   * @throws IllegalArgumentException when the shapes do not agree
   */
  public static void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta,
      Matrix c) {
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException("gemm: " + (transA ? "(" + a.shape() + ")T" : a.shape()) + " * "
          + (transB ? "(" + b.shape() + ")T" : b.shape()) + " -> " + c.shape() + " does not agree");
    }
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      scal(beta, c);
      return;
    }
    // Column-major view: C^T (n x m) = op(B)^T (n x k) * op(A)^T (k x m).
    BLAS_IMPL.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
        b.data(), b.offset(), Math.max(1, b.cols()),
        a.data(), a.offset(), Math.max(1, a.cols()),
        beta, c.data(), c.offset(), Math.max(1, c.cols()));
  }

  /**
   * {@code y = alpha · op(a) · x + beta · y} with {@code x} and {@code y} dense vectors stored at the given
   * offsets of their arrays.
   */
  public static void gemv(boolean transA, double alpha, Matrix a, double[] x, int xOffset, double beta,
      double[] y, int yOffset) {
    int rows = transA ? a.cols() : a.rows();
    int cols = transA ? a.rows() : a.cols();
    if (xOffset < 0 || xOffset + cols > x.length || yOffset < 0 || yOffset + rows > y.length) {
      throw new IllegalArgumentException("gemv: vectors too short for " + (transA ? "(" + a.shape() + ")T"
          : a.shape()));
    }
    if (rows == 0) {
      return;
    }
    if (cols == 0) {
      BLAS_IMPL.dscal(rows, beta, y, yOffset, 1);
      return;
    }
    // Row-major A is column-major A^T: flip the transpose flag.
    BLAS_IMPL.dgemv(transA ? "N" : "T", a.cols(), a.rows(), alpha, a.data(), a.offset(),
        Math.max(1, a.cols()), x, xOffset, 1, beta, y, yOffset, 1);
  }

  /** {@code y[yOff..yOff+n) += alpha · x[xOff..xOff+n)}. */
  public static void axpy(int n, double alpha, double[] x, int xOffset, double[] y, int yOffset) {
    if (n > 0) {
      BLAS_IMPL.daxpy(n, alpha, x, xOffset, 1, y, yOffset, 1);
    }
  }

  /** {@code y += alpha · x} for two matrices of the same shape. */
  public static void axpy(double alpha, Matrix x, Matrix y) {
    y.requireSameShape(x, "axpy");
    axpy(x.size(), alpha, x.data(), x.offset(), y.data(), y.offset());
  }

  /** {@code x[off..off+n) *= alpha}. */
  public static void scal(int n, double alpha, double[] x, int offset) {
    if (n > 0) {
      BLAS_IMPL.dscal(n, alpha, x, offset, 1);
    }
  }

  /** {@code x *= alpha}. */
  public static void scal(double alpha, Matrix x) {
    scal(x.size(), alpha, x.data(), x.offset());
  }

  /**
   * Column-major single-precision gemm, straight to BLAS: {@code C = alpha·op(A)·op(B) + beta·C} with
   * {@code op(A)} m×k and {@code op(B)} k×n. For the float32 compute path of {@code Linear}, which passes
   * row-major arrays the way {@link #gemm} does (as their transposes).
   */
  public static void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int lda,
      float[] b, int ldb, float beta, float[] c, int ldc) {
    if (m > 0 && n > 0) {
      BLAS_IMPL.sgemm(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }
  }

  /**
   * Column-major gemm on sub-blocks of arrays, straight to BLAS: {@code C = alpha·op(A)·op(B) + beta·C} with
   * {@code op(A)} m×k from {@code a[aOff]}, {@code op(B)} k×n from {@code b[bOff]}, C from {@code c[cOff]}. For
   * products on a block of a larger matrix (one image's columns of a batch) that {@link Matrix} views, whose
   * leading dimension is their width, cannot describe.
   */
  public static void gemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int aOff,
      int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    if (m > 0 && n > 0) {
      BLAS_IMPL.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** {@link #gemm(String, String, int, int, int, double, double[], int, int, double[], int, int, double,
   * double[], int, int) The sub-block gemm} in single precision. */
  public static void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (m > 0 && n > 0) {
      BLAS_IMPL.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** The dot product of {@code x[xOff..xOff+n)} and {@code y[yOff..yOff+n)}. */
  public static double dot(int n, double[] x, int xOffset, double[] y, int yOffset) {
    return n == 0 ? 0.0 : BLAS_IMPL.ddot(n, x, xOffset, 1, y, yOffset, 1);
  }
}
