package io.sparknn.testkit;

import io.sparknn.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a {@link Dataset} as a Parquet directory through a {@link SparkSession}, as data often arrives: a
 * {@code label} int column and a {@code features} column, either {@code array<double>} or Spark ML's
 * {@code Vector} (which needs {@code spark-mllib} on the test class path).
 */
public final class ParquetFixtures {
  /** How the {@code features} column is typed. */
  public enum Features { ARRAY, ML_VECTOR }

  private ParquetFixtures() {}

  /** Writes {@code data} to {@code dir} (which must not exist yet) and returns its path as a string. */
  public static String write(SparkSession spark, Dataset data, Features features, Path dir) {
    DataType type = features == Features.ARRAY ? DataTypes.createArrayType(DataTypes.DoubleType, false)
        : MlVectors.type();
    StructType schema = new StructType().add("features", type, false).add("label", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>(data.rows());
    for (int i = 0; i < data.rows(); i++) {
      double[] x = new double[data.cols()];
      for (int j = 0; j < x.length; j++) {
        x[j] = data.feature(i, j);
      }
      rows.add(RowFactory.create(features == Features.ARRAY ? x : MlVectors.dense(x), data.label(i)));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    return dir.toString();
  }

  /** Spark ML's vector type, in its own class so that the array form needs no {@code spark-mllib}. */
  private static final class MlVectors {
    static DataType type() {
      return org.apache.spark.ml.linalg.SQLDataTypes.VectorType();
    }

    static Object dense(double[] x) {
      return org.apache.spark.ml.linalg.Vectors.dense(x);
    }
  }
}
