package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.tensor.Matrix;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testkit.Datasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PCA on Spark against its definition, on 600 real digits in three partitions. */
class SparkPcaTest extends SparkTestBase {
  private static Dataset digits;

  @BeforeAll
  static void load() {
    digits = Datasets.mnistTrain(600);
  }

  @Test
  void componentsAreOrthonormalEigenvectorsOfTheCovariance() {
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), digits, 3, "pca")) {
      SparkPca pca = SparkPca.fit(data.rdd(), 10);
      Matrix v = pca.components();
      assertEquals(10, v.rows());
      assertEquals(784, v.cols());
      for (int i = 0; i < 10; i++) {
        for (int j = 0; j < 10; j++) {
          double dot = 0;
          for (int k = 0; k < 784; k++) {
            dot += v.get(i, k) * v.get(j, k);
          }
          assertEquals(i == j ? 1.0 : 0.0, dot, 1e-10, "v" + i + "·v" + j);
        }
      }
      double[] variances = pca.variances();
      for (int i = 1; i < variances.length; i++) {
        assertTrue(variances[i] <= variances[i - 1], "variances decrease");
      }
      // C·v = λ·v for the first component, with C computed here directly from the rows.
      double[] mean = pca.mean();
      double[] cv = new double[784];
      Matrix x = new Matrix(digits.rows(), 784);
      digits.gatherRange(0, digits.rows(), x, null, 0);
      for (int r = 0; r < x.rows(); r++) {
        double proj = 0;
        for (int k = 0; k < 784; k++) {
          proj += (x.get(r, k) - mean[k]) * v.get(0, k);
        }
        for (int k = 0; k < 784; k++) {
          cv[k] += (x.get(r, k) - mean[k]) * proj / (x.rows() - 1);
        }
      }
      for (int k = 0; k < 784; k++) {
        assertEquals(variances[0] * v.get(0, k), cv[k], 1e-9);
      }
    }
  }

  @Test
  void reconstructionLossFallsWithEveryComponentAndMatchesTheDiscardedVariance() {
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), digits, 3, "pca")) {
      SparkPca full = SparkPca.fit(data.rdd(), 40);
      double previous = full.totalVariance() * (digits.rows() - 1) / digits.rows();
      double kept = 0;
      for (int k : new int[] {1, 2, 5, 10, 20, 40}) {
        SparkPca pca = full.truncate(k);
        double loss = pca.reconstructionLoss(jsc(), data.rdd());
        assertTrue(loss < previous, "k = " + k + ": " + loss + " < " + previous);
        kept = 0;
        for (double l : pca.variances()) {
          kept += l;
        }
        // On the fitted rows the loss is exactly the variance left out (times (n − 1) / n: sample covariance).
        double expected = (full.totalVariance() - kept) * (digits.rows() - 1) / digits.rows();
        assertEquals(expected, loss, 1e-8 * full.totalVariance(), "k = " + k);
        previous = loss;
      }
    }
  }
}
