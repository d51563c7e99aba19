package io.sparknn.ml;

import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.ParquetFixtures;
import io.sparknn.testkit.ParquetFixtures.Features;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first rows of the embedded MNIST IDX files as a DataFrame the way a Spark user holds it: written as
 * Parquet ({@code features}: a Spark ML vector, {@code label}: an int) and read back in {@code partitions}
 * partitions.
 */
final class MnistFrames {
  private MnistFrames() {}

  static Dataset<Row> train(SparkSession spark, int rows, int partitions, Path dir) {
    String path = ParquetFixtures.write(spark, Datasets.mnistTrain(rows), Features.ML_VECTOR, dir.resolve("train"));
    return spark.read().parquet(path).repartition(partitions).cache();
  }

  static Dataset<Row> test(SparkSession spark, int rows, Path dir) {
    String path = ParquetFixtures.write(spark, Datasets.mnistTest(rows), Features.ML_VECTOR, dir.resolve("test"));
    return spark.read().parquet(path).cache();
  }
}
