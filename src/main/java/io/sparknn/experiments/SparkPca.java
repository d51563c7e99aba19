package io.sparknn.experiments;

import io.sparknn.data.Broadcasts;
import io.sparknn.data.Dataset;
import io.sparknn.tensor.Blas;
import io.sparknn.tensor.Matrix;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.netlib.util.intW;

/**
 * Principal component analysis on Spark without Breeze or MLlib: each partition computes its row count,
 * column sums and Gram matrix {@code XᵀX} with one BLAS gemm per chunk of rows, {@code treeAggregate} adds
 * them up, the driver forms the covariance {@code (XᵀX − n·μμᵀ) / (n − 1)} and takes its top {@code k}
 * eigenvectors with LAPACK {@code dsyevr} ({@code dev.ludovic.netlib}). The model reconstructs a row as
 * {@code μ + (x − μ)·VᵀV} ({@code V}: {@code k × d}, orthonormal rows, by decreasing variance), and
 * {@link #reconstructionLoss} measures {@code Σ‖x − x̂‖²} per row on the executors — the sum-of-squares
 * definition of {@code MSECriterion}, so it compares directly with an autoencoder's loss.
 */
public final class SparkPca implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 1000;

  private final double[] mean;
  // Row-major k × d; a plain array because the model is broadcast and Matrix is not serializable.
  private final double[] components;
  private final double[] variances;
  private final double totalVariance;

  private SparkPca(double[] mean, double[] components, double[] variances, double totalVariance) {
    this.mean = mean;
    this.components = components;
    this.variances = variances;
    this.totalVariance = totalVariance;
  }

  /** Count, column sums and Gram matrix of some rows; {@code gram == null} means nothing seen yet. */
  static final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;
    long n;
    double[] sum;
    double[] gram;

    static Moments of(Dataset part) {
      int d = part.cols();
      Moments m = new Moments();
      m.sum = new double[d];
      Matrix gram = new Matrix(d, d);
      Matrix x = null;
      for (int from = 0; from < part.rows(); from += CHUNK) {
        int to = Math.min(part.rows(), from + CHUNK);
        x = Matrix.reuse(x, to - from, d);
        part.gatherRange(from, to, x, null, 0);
        Blas.gemm(true, false, 1.0, x, x, 1.0, gram);
        for (int r = 0; r < x.rows(); r++) {
          Blas.axpy(d, 1.0, x.data(), x.offset() + r * d, m.sum, 0);
        }
      }
      m.n = part.rows();
      m.gram = gram.data();
      return m;
    }

    Moments plus(Moments o) {
      if (o.gram == null) {
        return this;
      }
      if (gram == null) {
        return o;
      }
      // Adds into this one: treeAggregate hands each combiner its own copy, so nothing shared is changed.
      Blas.axpy(gram.length, 1.0, o.gram, 0, gram, 0);
      Blas.axpy(sum.length, 1.0, o.sum, 0, sum, 0);
      n += o.n;
      return this;
    }
  }

  /** Fits {@code k} components to all rows of {@code data} (one {@link Dataset} per partition). */
  public static SparkPca fit(JavaRDD<Dataset> data, int k) {
    Moments total = data.map(Moments::of).treeAggregate(new Moments(), Moments::plus, Moments::plus, 2);
    if (total.gram == null || total.n < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows, got " + total.n);
    }
    int d = total.sum.length;
    if (k < 1 || k > d) {
      throw new IllegalArgumentException("PCA components must be in [1, " + d + "], got " + k);
    }
    double[] mean = new double[d];
    for (int i = 0; i < d; i++) {
      mean[i] = total.sum[i] / total.n;
    }
    double[] cov = new double[d * d];
    double trace = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        cov[i * d + j] = (total.gram[i * d + j] - total.n * mean[i] * mean[j]) / (total.n - 1);
      }
      trace += cov[i * d + i];
    }
    return new SparkPca(mean, null, null, trace).withTop(cov, d, k);
  }

  /** The top {@code k} eigenpairs of the symmetric {@code cov} (row- or column-major alike) by dsyevr. */
  private SparkPca withTop(double[] cov, int d, int k) {
    dev.ludovic.netlib.lapack.LAPACK lapack = dev.ludovic.netlib.lapack.LAPACK.getInstance();
    intW found = new intW(0);
    intW info = new intW(0);
    double[] w = new double[d];
    // Sized for all d eigenvectors and 2d support indices: netlib's Java wrapper checks the arrays against n, not k.
    double[] z = new double[d * d];
    int[] support = new int[2 * d];
    double[] workSize = new double[1];
    int[] iworkSize = new int[1];
    // Eigenvalues come in ascending order: indices d−k+1..d (1-based) are the k largest.
    lapack.dsyevr("V", "I", "U", d, cov, d, 0, 0, d - k + 1, d, 0.0, found, w, z, d, support, workSize, -1,
        iworkSize, -1, info);
    double[] work = new double[(int) workSize[0]];
    int[] iwork = new int[iworkSize[0]];
    lapack.dsyevr("V", "I", "U", d, cov, d, 0, 0, d - k + 1, d, 0.0, found, w, z, d, support, work, work.length,
        iwork, iwork.length, info);
    if (info.val != 0 || found.val != k) {
      throw new IllegalStateException("LAPACK dsyevr failed: info " + info.val + ", " + found.val + " of " + k
          + " eigenvalues found");
    }
    Matrix v = new Matrix(k, d);
    double[] variances = new double[k];
    for (int j = 0; j < k; j++) {
      // Column j of z (column-major, leading dimension d) is an eigenvector; largest first in our rows.
      int row = k - 1 - j;
      System.arraycopy(z, j * d, v.data(), row * d, d);
      variances[row] = w[j];
    }
    return new SparkPca(mean, v.data(), variances, totalVariance);
  }

  private Matrix componentMatrix() {
    return Matrix.wrap(components, variances.length, mean.length);
  }

  /** Reconstructs {@code x} ({@code rows × d}) in place of {@code out} from its first {@code k} components. */
  public void reconstruct(Matrix x, Matrix out) {
    int d = mean.length;
    Matrix centred = x.copy();
    for (int r = 0; r < x.rows(); r++) {
      Blas.axpy(d, -1.0, mean, 0, centred.data(), r * d);
    }
    Matrix v = componentMatrix();
    Matrix codes = new Matrix(x.rows(), v.rows());
    Blas.gemm(false, true, 1.0, centred, v, 0.0, codes);
    for (int r = 0; r < x.rows(); r++) {
      System.arraycopy(mean, 0, out.data(), out.offset() + r * d, d);
    }
    Blas.gemm(false, false, 1.0, codes, v, 1.0, out);
  }

  /** Mean over rows of {@code Σ‖x − x̂‖²}, computed on the executors. */
  public double reconstructionLoss(JavaSparkContext sc, JavaRDD<Dataset> data) {
    Broadcast<SparkPca> model = sc.broadcast(this);
    try {
      List<double[]> parts = data.map(part -> model.value().lossSum(part)).collect();
      double sum = 0;
      double n = 0;
      for (double[] p : parts) {
        sum += p[0];
        n += p[1];
      }
      return sum / n;
    } finally {
      Broadcasts.remove(model);
    }
  }

  /** {@code {Σ‖x − x̂‖², rows}} of one partition. */
  double[] lossSum(Dataset part) {
    int d = mean.length;
    double sum = 0;
    Matrix x = null;
    Matrix out = null;
    for (int from = 0; from < part.rows(); from += CHUNK) {
      int to = Math.min(part.rows(), from + CHUNK);
      x = Matrix.reuse(x, to - from, d);
      out = Matrix.reuse(out, to - from, d);
      part.gatherRange(from, to, x, null, 0);
      reconstruct(x, out);
      for (int i = 0; i < x.size(); i++) {
        double e = x.data()[x.offset() + i] - out.data()[out.offset() + i];
        sum += e * e;
      }
    }
    return new double[] {sum, part.rows()};
  }

  /** The per-feature mean. */
  public double[] mean() {
    return mean.clone();
  }

  /** The components, {@code k × d}, one orthonormal row each, by decreasing variance. */
  public Matrix components() {
    return componentMatrix().copy();
  }

  /** The variance along each component (the covariance's eigenvalues), decreasing. */
  public double[] variances() {
    return variances.clone();
  }

  /** The trace of the covariance: the reconstruction loss of the mean alone (k = 0), per row. */
  public double totalVariance() {
    return totalVariance;
  }

  /** This model keeping only its first {@code k} components. */
  public SparkPca truncate(int k) {
    if (k < 1 || k > variances.length) {
      throw new IllegalArgumentException("cannot keep " + k + " of " + variances.length + " components");
    }
    return new SparkPca(mean, java.util.Arrays.copyOf(components, k * mean.length),
        java.util.Arrays.copyOf(variances, k), totalVariance);
  }
}
