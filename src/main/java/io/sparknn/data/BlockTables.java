package io.sparknn.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Blocks ({@link Dataset}s, one per partition) as a table with a {@code features} column and a {@code label}
 * column (double, as Spark ML's estimators expect), built on the executors row by row: the form
 * {@code jobs/convert.sh} writes as Parquet. Features are a Spark ML dense {@code Vector} of the scaled values
 * (what {@code MultilayerPerceptronClassifier} and the other ML estimators read) or an {@code array<float>}.
 */
public final class BlockTables {
  /** How the features column is typed. */
  public enum Features { VECTOR, FLOAT_ARRAY }

  private BlockTables() {}

  /** The rows of {@code blocks} in partition order, one table partition per block. */
  public static org.apache.spark.sql.Dataset<Row> of(SparkSession spark, JavaRDD<Dataset> blocks,
      Features features) {
    StructType schema = new StructType()
        .add("features", features == Features.VECTOR ? SQLDataTypes.VectorType()
            : DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.DoubleType, false);
    JavaRDD<Row> rows = blocks.flatMap(d -> rows(d, features).iterator());
    return spark.createDataFrame(rows, schema);
  }

  private static List<Row> rows(Dataset d, Features features) {
    List<Row> out = new ArrayList<>(d.rows());
    for (int i = 0; i < d.rows(); i++) {
      Object x;
      if (features == Features.VECTOR) {
        double[] v = new double[d.cols()];
        for (int j = 0; j < v.length; j++) {
          v[j] = d.feature(i, j);
        }
        x = Vectors.dense(v);
      } else {
        Float[] v = new Float[d.cols()];
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) d.feature(i, j);
        }
        x = v;
      }
      out.add(RowFactory.create(x, (double) d.label(i)));
    }
    return out;
  }
}
