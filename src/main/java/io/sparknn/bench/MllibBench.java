package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.tensor.Matrix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Section 3 of the harness: Spark MLlib's {@link MultilayerPerceptronClassifier} with layers
 * {@code [784, 196, 98, 10]} (sigmoid hidden layers, softmax output: MLlib's only choice) on the same training
 * rows and the same partitions as sparknn (the DataFrame is built from sparknn's cached partitions, so row order
 * and partitioning agree), one fresh {@code fit()} per solver and iteration limit. A fit is timed from call to
 * return; its iterations come from the training summary; its test accuracy is measured afterwards, untimed.
 * The fits stop when the next one is predicted (from the seconds per iteration so far) to overrun the budget.
 */
public final class MllibBench {
  static final int[] LAYERS = {784, 196, 98, 10};

  /**
   * One fit, or one skipped for the budget ({@code fitSeconds} null).
   *
   * @param iterations iterations the optimizer ran (l-bfgs may stop before {@code maxIter} on convergence)
   */
  public record Fit(String solver, int maxIter, Integer iterations, Double fitSeconds, Double secondsPerIteration,
      Double testAccuracy, String note) {}

  private MllibBench() {}

  static List<Fit> run(SparkSession spark, PartitionedDataset train, PartitionedDataset test, BenchOptions o) {
    org.apache.spark.sql.Dataset<Row> trainDf = frame(spark, train).persist(StorageLevel.MEMORY_ONLY());
    org.apache.spark.sql.Dataset<Row> testDf = frame(spark, test).persist(StorageLevel.MEMORY_ONLY());
    System.err.printf("bench: MLlib MLP on %d training rows in %d partitions%n", trainDf.count(),
        trainDf.javaRDD().getNumPartitions());
    testDf.count();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    List<Fit> fits = new ArrayList<>();
    long start = System.nanoTime();
    try {
      // Shortest fits first, solvers interleaved: when the budget runs out it cuts the longest fits.
      java.util.Map<String, Double> perIteration = new java.util.HashMap<>();
      for (int maxIter : o.mllibIters().stream().sorted().toList()) {
        for (String solver : o.mllibSolvers()) {
          double spent = (System.nanoTime() - start) / 1e9;
          double predicted = perIteration.getOrDefault(solver, 0.0) * maxIter;
          if (spent + predicted > o.mllibBudget()) {
            fits.add(new Fit(solver, maxIter, null, null, null, null,
                String.format("skipped: %.0f s spent, ~%.0f s more predicted, budget %.0f s", spent, predicted,
                    o.mllibBudget())));
            continue;
          }
          MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(LAYERS)
              .setSolver(solver).setMaxIter(maxIter).setSeed(o.seed());
          System.err.printf("bench: MLlib %s, maxIter %d%n", solver, maxIter);
          long t0 = System.nanoTime();
          MultilayerPerceptronClassificationModel model = mlp.fit(trainDf);
          double seconds = (System.nanoTime() - t0) / 1e9;
          int iterations = model.hasSummary() ? model.summary().totalIterations() : maxIter;
          double acc = accuracy.evaluate(model.transform(testDf));
          perIteration.put(solver, seconds / Math.max(1, iterations));
          fits.add(new Fit(solver, maxIter, iterations, seconds, seconds / Math.max(1, iterations), acc, null));
          System.err.printf("bench:   %d iterations in %.1f s (%.3f s/iteration), test accuracy %.4f%n", iterations,
              seconds, seconds / Math.max(1, iterations), acc);
        }
      }
    } finally {
      trainDf.unpersist();
      testDf.unpersist();
    }
    return fits;
  }

  /** The cached partitions as a DataFrame of {@code (label, features)}, partition for partition. */
  static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, PartitionedDataset data) {
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.DoubleType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
    JavaRDD<Row> rows = data.rdd().mapPartitions(MllibBench::rows, true);
    return spark.createDataFrame(rows, schema);
  }

  private static Iterator<Row> rows(Iterator<Dataset> blocks) {
    List<Row> out = new ArrayList<>();
    while (blocks.hasNext()) {
      Dataset d = blocks.next();
      int chunk = 1000;
      Matrix x = null;
      int[] labels = new int[chunk];
      for (int from = 0; from < d.rows(); from += chunk) {
        int to = Math.min(d.rows(), from + chunk);
        x = Matrix.reuse(x, to - from, d.cols());
        d.gatherRange(from, to, x, labels, 0);
        for (int r = 0; r < to - from; r++) {
          double[] f = new double[d.cols()];
          System.arraycopy(x.data(), x.offset() + r * d.cols(), f, 0, f.length);
          out.add(RowFactory.create((double) labels[r], Vectors.dense(f)));
        }
      }
    }
    return out.iterator();
  }
}
