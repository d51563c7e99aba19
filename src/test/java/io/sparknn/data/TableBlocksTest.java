package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testing.SparkTestBase;
import io.sparknn.testkit.ParquetFixtures;
import io.sparknn.testkit.ParquetFixtures.Features;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableBlocksTest extends SparkTestBase {
  private static final Dataset BLOBS = GaussianBlobs.generate(40, 3);
  private static final TableColumns COLUMNS = new TableColumns("features", "label", "blobs.parquet");

  private SparkSession spark() {
    return SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
  }

  @Test
  void parquetRowsBecomeOneCachedBlockPerPartitionOnTheExecutors(@TempDir Path dir) {
    for (Features kind : Features.values()) {
      String path = ParquetFixtures.write(spark(), BLOBS, kind, dir.resolve(kind.name()));
      var table = spark().read().parquet(path).coalesce(1);
      try (PartitionedDataset d = PartitionedDataset.cache(TableBlocks.of(table, COLUMNS, 3), "blobs", path)) {
        assertArrayEquals(new int[] {BLOBS.rows()}, d.sizes());
        assertEquals(BLOBS.cols(), d.cols());
        Dataset block = d.rdd().first();
        for (int r = 0; r < BLOBS.rows(); r++) {
          assertEquals(BLOBS.label(r), block.label(r));
          for (int c = 0; c < BLOBS.cols(); c++) {
            assertEquals((float) BLOBS.feature(r, c), block.feature(r, c), "row " + r + " col " + c);
          }
        }
      }
    }
  }

  @Test
  void sparseVectorsFillTheirZeros() {
    StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType);
    var table = spark().createDataFrame(List.of(
        RowFactory.create(Vectors.sparse(4, new int[] {1, 3}, new double[] {2, 5}), 1.0),
        RowFactory.create(Vectors.dense(1, 0, 0, 1), 0.0)), schema).coalesce(1);
    Dataset block = TableBlocks.of(table, COLUMNS, 2).first();
    assertEquals(2, block.rows());
    assertEquals(5.0, block.feature(0, 3));
    assertEquals(0.0, block.feature(0, 0));
    assertEquals(1, block.label(0));
  }

  @Test
  void aMissingOrMistypedColumnIsRefusedOnTheDriver() {
    var table = spark().createDataFrame(List.of(RowFactory.create("x", 1)),
        new StructType().add("features", DataTypes.StringType).add("label", DataTypes.IntegerType));
    DataFileException missing = assertThrows(DataFileException.class,
        () -> TableBlocks.of(table, new TableColumns("pixels", "label", "t.parquet"), 2));
    assertTrue(missing.getMessage().contains("t.parquet: has no column 'pixels'"), missing.getMessage());
    DataFileException type = assertThrows(DataFileException.class, () -> TableBlocks.of(table, COLUMNS, 2));
    assertTrue(type.getMessage().contains("column 'features' is string; expected"), type.getMessage());
  }

  @Test
  void theFirstBadRowIsNamedWithItsPartitionAndRow() {
    assertBadRow(List.of(row(1.0, 2.0, 0), row(1.0, 2.0, 3.0, 1)), "column 'features' at row 1 of partition 0"
        + " has 3 features; the partition's first row has 2");
    assertBadRow(List.of(row(1.0, Double.NaN, 0)), "column 'features' at row 0 of partition 0 has NaN at index 1");
    assertBadRow(List.of(row(1.0, 2.0, 0), row(1.0, 2.0, 2)), "column 'label' at row 1 of partition 0 is 2.0;"
        + " expected a class index, a whole number in [0, 2)");
  }

  private void assertBadRow(List<Row> rows, String expected) {
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("label", DataTypes.IntegerType);
    var table = spark().createDataFrame(rows, schema).coalesce(1);
    SparkException e = assertThrows(SparkException.class,
        () -> PartitionedDataset.cache(TableBlocks.of(table, COLUMNS, 2), "bad", "bad.parquet"));
    DataFileException bad = findCause(e);
    assertTrue(bad.getMessage().startsWith("blobs.parquet: " + expected), bad.getMessage());
  }

  private static DataFileException findCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataFileException d) {
        return d;
      }
    }
    throw new AssertionError("no DataFileException in the cause chain of " + e);
  }

  private static Row row(Object... values) {
    double[] x = new double[values.length - 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = (Double) values[i];
    }
    return RowFactory.create(x, values[values.length - 1]);
  }
}
