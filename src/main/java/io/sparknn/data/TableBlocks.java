package io.sparknn.data;

import io.sparknn.data.TableColumns.FeatureKind;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Turns a table's rows into compact {@link Dataset} blocks where the rows are, one block per partition
 * ({@code mapPartitions} on the executors): the driver never holds a row. Features are stored as float32 (what
 * a GPU framework keeps too; a double column is rounded once, here), labels as class indices.
 *
 * <p>Every row is checked as it is read, and the first bad one stops the job with a {@link DataFileException}
 * naming the table, the column, the partition and the row within it: a features vector of another width than
 * the partition's first row, NaN or infinite features, a null, a label that is not a whole number in
 * {@code [0, classes)}. Widths across partitions are compared by {@link PartitionedDataset#cache}.
 */
public final class TableBlocks {
  private TableBlocks() {}

  /**
   * The rows of {@code table} (whose schema {@code columns.check} accepted as {@code kind}) as one block per
   * partition, lazily: nothing is read until the returned RDD is computed.
   */
  public static JavaRDD<Dataset> of(org.apache.spark.sql.Dataset<Row> table, TableColumns columns,
      int classes) {
    FeatureKind kind = columns.check(table.schema());
    if (classes <= 0 || classes > 256) {
      throw new IllegalArgumentException("classes must be in [1, 256], got " + classes);
    }
    return table.select(columns.features(), columns.label()).javaRDD()
        .mapPartitionsWithIndex((p, rows) -> List.of(block(rows, kind, columns, classes, p)).iterator(), true);
  }

  /**
   * One partition's rows as a block; its first row fixes the width the others must have. {@code classes} 0 keeps
   * the label column as one real-valued target per row (regression) instead of a class index.
   */
  static Dataset block(Iterator<Row> rows, FeatureKind kind, TableColumns columns, int classes, int partition) {
    boolean values = classes == 0;
    float[] x = new float[0];
    byte[] y = new byte[0];
    float[] t = new float[0];
    int n = 0;
    int width = -1;
    while (rows.hasNext()) {
      Row row = rows.next();
      width = checkedWidth(row, kind, width, columns, partition, n);
      if ((long) (n + 1) * width > Integer.MAX_VALUE - 8) {
        throw bad(columns, columns.features(), partition, n, "makes the partition hold more than 2^31 feature"
            + " values; use more partitions");
      }
      if (x.length < (n + 1) * width) {
        x = Arrays.copyOf(x, Math.max((n + 1) * width, (int) Math.min(Integer.MAX_VALUE - 8, 2L * x.length)));
      }
      if (values && t.length <= n) {
        t = Arrays.copyOf(t, Math.max(n + 1, 2 * n));
      } else if (!values && y.length <= n) {
        y = Arrays.copyOf(y, Math.max(n + 1, 2 * n));
      }
      read(row, kind, x, n * width, width, columns, partition, n);
      if (values) {
        t[n] = target(row, columns, partition, n);
      } else {
        y[n] = (byte) label(row, columns, classes, partition, n);
      }
      n++;
    }
    if (n == 0) {
      throw new DataFileException(columns.source(), "partition " + partition + " has no rows; every partition"
          + " needs at least one (use fewer partitions)");
    }
    float[] features = Arrays.copyOf(x, n * width);
    return values ? Dataset.ofFloatTargets(features, Arrays.copyOf(t, n), n, width, 1)
        : Dataset.ofFloats(features, Arrays.copyOf(y, n), n, width, classes);
  }

  /**
   * The rows of {@code table} as one block per partition with the label column as one real-valued target per
   * row (regression), lazily. Rows are checked as {@link #of} checks them, except that the label may be any
   * finite number.
   */
  public static JavaRDD<Dataset> ofValues(org.apache.spark.sql.Dataset<Row> table, TableColumns columns) {
    FeatureKind kind = columns.check(table.schema());
    return table.select(columns.features(), columns.label()).javaRDD()
        .mapPartitionsWithIndex((p, rows) -> List.of(block(rows, kind, columns, 0, p)).iterator(), true);
  }

  /**
   * The row's number of features, refusing a null in either column, an empty vector, or a width other than
   * {@code width} (the partition's first row's; -1 before it).
   */
  static int checkedWidth(Row row, FeatureKind kind, int width, TableColumns columns, int partition, int n) {
    if (row.isNullAt(0) || row.isNullAt(1)) {
      throw bad(columns, row.isNullAt(0) ? columns.features() : columns.label(), partition, n,
          "is null; expected a value in every row");
    }
    int w = width(row, kind);
    if (width < 0 && w == 0) {
      throw bad(columns, columns.features(), partition, n, "is an empty vector; expected at least one feature");
    } else if (width >= 0 && w != width) {
      throw bad(columns, columns.features(), partition, n, "has " + w + " features; the partition's first row"
          + " has " + width + " and every row must have the same width");
    }
    return w;
  }

  private static float target(Row row, TableColumns columns, int partition, int n) {
    float v = (float) ((Number) row.get(1)).doubleValue();
    if (!Float.isFinite(v)) {
      throw bad(columns, columns.label(), partition, n, "is " + v + " (as float32); expected a finite target");
    }
    return v;
  }

  private static int width(Row row, FeatureKind kind) {
    return kind == FeatureKind.ML_VECTOR ? row.<Vector>getAs(0).size() : row.getList(0).size();
  }

  /** Copies the row's features into {@code x[at..at+width)}, refusing NaN, infinity and null elements. */
  static void read(Row row, FeatureKind kind, float[] x, int at, int width, TableColumns columns,
      int partition, int rowIndex) {
    if (kind == FeatureKind.ML_VECTOR) {
      Vector v = row.getAs(0);
      Arrays.fill(x, at, at + width, 0f);
      // Sparse vectors (LibSVM) visit only their stored entries.
      v.foreachActive((i, value) -> {
        x[at + (int) i] = (float) (double) value;
        return null;
      });
    } else {
      List<Object> values = row.getList(0);
      for (int j = 0; j < width; j++) {
        Object o = values.get(j);
        if (o == null) {
          throw bad(columns, columns.features(), partition, rowIndex, "has a null at index " + j);
        }
        x[at + j] = kind == FeatureKind.FLOAT_ARRAY ? (Float) o : (float) (double) (Double) o;
      }
    }
    for (int j = 0; j < width; j++) {
      if (!Float.isFinite(x[at + j])) {
        throw bad(columns, columns.features(), partition, rowIndex, "has " + x[at + j] + " at index " + j
            + " (as float32); expected finite features");
      }
    }
  }

  static int label(Row row, TableColumns columns, int classes, int partition, int rowIndex) {
    double v = ((Number) row.get(1)).doubleValue();
    if (v != Math.rint(v) || v < 0 || v >= classes) {
      throw bad(columns, columns.label(), partition, rowIndex, "is " + v + "; expected a class index, a whole"
          + " number in [0, " + classes + ")");
    }
    return (int) v;
  }

  static DataFileException bad(TableColumns columns, String column, int partition, int row,
      String problem) {
    return new DataFileException(columns.source(), "column '" + column + "' at row " + row + " of partition "
        + partition + " " + problem);
  }
}
