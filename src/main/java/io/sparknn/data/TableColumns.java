package io.sparknn.data;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two columns of a table that hold a sample's features and its label, checked against the table's
 * schema on the driver before any row is read: the features column must be a Spark ML {@code Vector} (dense or
 * sparse, as LibSVM files give) or an {@code array<float>} / {@code array<double>}, the label column numeric.
 * {@code source} names the table in messages (a path, or "the DataFrame").
 */
public record TableColumns(String features, String label, String source) implements Serializable {

  /** How the features column is stored, which decides how a row is read. */
  public enum FeatureKind { ML_VECTOR, FLOAT_ARRAY, DOUBLE_ARRAY }

  public TableColumns {
    if (features == null || features.isEmpty() || label == null || label.isEmpty()) {
      throw new IllegalArgumentException("the features and label column names must be given, got '" + features
          + "' and '" + label + "'");
    }
  }

  /** The kind of the features column in {@code schema}; refuses a missing or mistyped column of either. */
  public FeatureKind check(StructType schema) {
    DataType f = field(schema, features).dataType();
    FeatureKind kind;
    if (f instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
      kind = FeatureKind.FLOAT_ARRAY;
    } else if (f instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
      kind = FeatureKind.DOUBLE_ARRAY;
    } else if ("vector".equals(f.typeName()) || f.getClass().getName().endsWith("VectorUDT")) {
      kind = FeatureKind.ML_VECTOR;
    } else {
      throw new DataFileException(source, "column '" + features + "' is " + f.simpleString()
          + "; expected a features column of type vector (Spark ML), array<float> or array<double>");
    }
    DataType l = field(schema, label).dataType();
    if (!(l instanceof NumericType)) {
      throw new DataFileException(source, "column '" + label + "' is " + l.simpleString()
          + "; expected a numeric label column");
    }
    return kind;
  }

  private StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new DataFileException(source, "has no column '" + name + "'; its columns are "
        + Arrays.toString(schema.fieldNames()));
  }
}
