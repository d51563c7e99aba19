package io.sparknn.data;

import io.sparknn.data.TableColumns.FeatureKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * A table's rows read by the executors and regrouped into the partitions a run asks for ({@link RowSelection}s
 * of global row indices), one {@link TableBlocks} block each, so that what a partition holds depends on the
 * data and the config, not on how Spark happened to split the files.
 *
 * <p>Three steps, none of which brings a row to the driver: {@link #scan} reads every row once on the executors,
 * checks it (width, NaN/Inf, nulls, labels) and returns per partition only its row count, width and largest
 * label; the driver turns the counts into global offsets and selections; {@link #blocks} keys each selected row
 * by its global index and shuffles it to its partition, sorted by index, where it becomes the block. A lost block
 * is recomputed from the shuffle output or the files, never from the driver.
 */
public final class TableSource {
  private final JavaRDD<Row> rows;
  private final TableColumns columns;
  private final FeatureKind kind;

  private TableSource(JavaRDD<Row> rows, TableColumns columns, FeatureKind kind) {
    this.rows = rows;
    this.columns = columns;
    this.kind = kind;
  }

  /** What {@link #scan} learnt: rows per source partition, the width of the rows, the largest label. */
  public record Scan(long[] sizes, int width, int maxLabel) {
    /** Rows in all partitions. */
    public long rows() {
      long n = 0;
      for (long s : sizes) {
        n += s;
      }
      return n;
    }
  }

  /**
   * The table at {@code path} as Spark reads it on the executors: {@code format} {@code parquet} or
   * {@code libsvm} (label double, features a sparse vector of {@code numFeatures}, or with 0 of the width Spark
   * finds in the file). A path Spark cannot read is a {@link DataFileException} naming it.
   */
  public static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, String format, String path,
      int numFeatures) {
    try {
      var reader = spark.read().format(format);
      if (numFeatures > 0) {
        reader = reader.option("numFeatures", numFeatures);
      }
      return reader.load(path);
    } catch (RuntimeException e) {
      // Spark's AnalysisException (a missing path, a file of another format) is checked in Scala only.
      throw new DataFileException(path, "could not be read as " + format + ": " + e.getMessage().lines().findFirst()
          .orElse(""), e);
    }
  }

  /**
   * The feature and label columns of {@code table}, checked on the driver ({@code columns.check}). The table's
   * partitioning is fixed here, once: with {@code spark.sql.files.minPartitionNum} 1 while its files are split,
   * the split depends on the files alone, not on the cluster's default parallelism.
   */
  public static TableSource of(org.apache.spark.sql.Dataset<Row> table, TableColumns columns) {
    FeatureKind kind = columns.check(table.schema());
    SparkSession spark = table.sparkSession();
    String key = "spark.sql.files.minPartitionNum";
    String before = spark.conf().contains(key) ? spark.conf().get(key) : null;
    spark.conf().set(key, "1");
    try {
      JavaRDD<Row> rows = table.select(columns.features(), columns.label()).javaRDD();
      rows.partitions();
      return new TableSource(rows, columns, kind);
    } finally {
      if (before == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, before);
      }
    }
  }

  /**
   * Rows per source partition, counted on the executors without reading a value: for {@link #blocks} when the
   * rows are checked as each block is built, as a regression's real-valued labels are.
   */
  public long[] sizes() {
    List<Long> counts = rows.mapPartitions(it -> {
      long n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    return counts.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Reads and checks every row on the executors ({@code classes} 0: labels only need to be whole numbers in
   * [0, 256)); the first bad row stops the job with a {@link DataFileException} naming the table, the column,
   * the partition and the row. Refuses rows of different widths in different partitions, and an empty table.
   */
  public Scan scan(int classes) {
    int limit = classes > 0 ? classes : 256;
    TableColumns c = columns;
    FeatureKind k = kind;
    List<long[]> parts = rows.mapPartitionsWithIndex((p, it) -> List.of(scan(it, k, c, limit, p)).iterator(), true)
        .collect();
    long[] sizes = new long[parts.size()];
    int width = -1;
    int widthFrom = -1;
    int max = 0;
    for (int p = 0; p < sizes.length; p++) {
      long[] s = parts.get(p);
      sizes[p] = s[0];
      if (s[0] == 0) {
        continue;
      }
      if (width >= 0 && s[1] != width) {
        throw new DataFileException(columns.source(), "column '" + columns.features() + "' has rows of " + s[1]
            + " features in partition " + p + " but of " + width + " in partition " + widthFrom
            + "; every row must have the same width");
      }
      width = (int) s[1];
      widthFrom = p;
      max = Math.max(max, (int) s[2]);
    }
    if (width < 0) {
      throw new DataFileException(columns.source(), "has no rows; expected at least one");
    }
    return new Scan(sizes, width, max);
  }

  private static long[] scan(Iterator<Row> rows, FeatureKind kind, TableColumns columns, int classes, int p) {
    long n = 0;
    int width = -1;
    int max = 0;
    float[] x = new float[0];
    while (rows.hasNext()) {
      Row row = rows.next();
      int r = (int) Math.min(n, Integer.MAX_VALUE);
      if (width < 0) {
        width = TableBlocks.checkedWidth(row, kind, width, columns, p, r);
        x = new float[width];
      } else {
        TableBlocks.checkedWidth(row, kind, width, columns, p, r);
      }
      TableBlocks.read(row, kind, x, 0, width, columns, p, r);
      max = Math.max(max, TableBlocks.label(row, columns, classes, p, r));
      n++;
    }
    return new long[] {n, width, max};
  }

  /**
   * A table's rows as {@code partitions} (0: Spark's default parallelism) cached blocks, contiguous runs of its rows in
   * the order Spark reads them, every row checked first; {@code classes} 0 takes the largest label plus one. The entry
   * point for a DataFrame handed over by an API: the driver receives only counts, widths and the largest label.
   */
  public static PartitionedDataset partitioned(org.apache.spark.sql.Dataset<Row> table, TableColumns columns,
      int classes, int partitions, String name) {
    TableSource source = of(table, columns);
    Scan scan = source.scan(classes);
    int k = classes > 0 ? classes : scan.maxLabel() + 1;
    if (partitions > scan.rows()) {
      throw new DataFileException(columns.source(), "has " + scan.rows() + " rows, fewer than the " + partitions
          + " partitions asked for");
    }
    int p = partitions > 0 ? partitions
        : (int) Math.min(table.sparkSession().sparkContext().defaultParallelism(), scan.rows());
    return PartitionedDataset.cache(source.blocks(scan, RowSelection.ranges(scan.rows(), p), k), name,
        columns.source());
  }

  /**
   * One block per selection (global row indices over {@code scan}'s partitions, in order), built lazily on the
   * executors after a shuffle that brings each selected row to its partition.
   */
  public JavaRDD<Dataset> blocks(Scan scan, List<RowSelection> parts, int classes) {
    long[] offsets = new long[scan.sizes().length];
    for (int p = 1; p < offsets.length; p++) {
      offsets[p] = offsets[p - 1] + scan.sizes()[p - 1];
    }
    SelectionPartitioner partitioner = new SelectionPartitioner(new ArrayList<>(parts));
    TableColumns c = columns;
    FeatureKind k = kind;
    return rows.mapPartitionsWithIndex((p, it) -> keyed(it, offsets[p], partitioner), true)
        .mapToPair(t -> t)
        .repartitionAndSortWithinPartitions(partitioner)
        .values()
        .mapPartitionsWithIndex((q, it) -> List.of(TableBlocks.block(it, k, c, classes, q)).iterator(), true);
  }

  /** The rows of one source partition that some selection holds, keyed by global index, lazily. */
  private static Iterator<Tuple2<Long, Row>> keyed(Iterator<Row> rows, long offset, SelectionPartitioner parts) {
    return new Iterator<>() {
      private long g = offset;
      private Tuple2<Long, Row> next = advance();

      private Tuple2<Long, Row> advance() {
        while (rows.hasNext()) {
          Row row = rows.next();
          long index = g++;
          if (parts.owner(index) >= 0) {
            return new Tuple2<>(index, row);
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Tuple2<Long, Row> next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Tuple2<Long, Row> t = next;
        next = advance();
        return t;
      }
    };
  }

  /** Sends global row {@code g} to the selection holding it. */
  static final class SelectionPartitioner extends Partitioner {
    private final ArrayList<RowSelection> parts;

    SelectionPartitioner(ArrayList<RowSelection> parts) {
      this.parts = parts;
    }

    /** The partition holding row {@code g}, or −1 if none does. */
    int owner(long g) {
      int lo = 0;
      int hi = parts.size() - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (parts.get(mid).from() <= g) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return parts.get(lo).contains(g) ? lo : -1;
    }

    @Override
    public int numPartitions() {
      return parts.size();
    }

    @Override
    public int getPartition(Object key) {
      return owner((Long) key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SelectionPartitioner s && s.parts.equals(parts);
    }

    @Override
    public int hashCode() {
      return parts.hashCode();
    }
  }
}
