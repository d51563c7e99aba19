package io.sparknn.run;

import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.DataFileException;
import io.sparknn.data.IdxBlocks;
import io.sparknn.data.IdxHeader;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.data.RowSelection;
import io.sparknn.data.ShardPlan;
import io.sparknn.data.TableColumns;
import io.sparknn.data.TableSource;
import io.sparknn.data.ValidationSplit;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The data a run trains, validates and tests on, read by the executors and cached there, one block per
 * partition: IDX files ({@link IdxBlocks}: each partition reads its own rows) or a Parquet or LibSVM table
 * ({@link TableSource}: read, checked, regrouped into the run's partitions). The driver learns headers, counts,
 * the width and the largest label; it chooses the validation rows by their global indices
 * ({@link ValidationSplit}) and never holds a row. Training rows keep their files' order and are cut into
 * contiguous partitions, validation rows likewise, so the same files, config and seed give the same blocks on
 * any cluster. Standardisation uses the training blocks' mean and standard deviation, a distributed aggregate.
 *
 * @param train training partitions
 * @param validation validation partitions, or null when {@code data.validation} is 0
 * @param test test partitions
 * @param classes number of classes (from {@code data.classes}, else the training labels' largest value + 1)
 * @param source where the data came from, for messages
 */
public record DistributedData(PartitionedDataset train, PartitionedDataset validation, PartitionedDataset test,
    int classes, String source) implements AutoCloseable {

  /** Features per row. */
  public int cols() {
    return train.cols();
  }

  /**
   * Reads the data {@code d} describes on {@code sc}'s executors ({@code configSource} names the config in
   * messages). Bad data fails with a {@link DataFileException} naming the file or column and the first bad row;
   * nothing stays cached after a failure.
   */
  public static DistributedData load(JavaSparkContext sc, DataConfig d, long seed, String configSource) {
    return load(sc, d, seed, 0, configSource);
  }

  /**
   * As {@link #load(JavaSparkContext, DataConfig, long, String)}, the training partitions holding whole fixed row
   * shards of {@code shards} (0: none; {@link io.sparknn.data.ShardPlan#rowCuts}), at most {@code shards} of them
   * when {@code data.partitions} leaves the count to Spark.
   */
  public static DistributedData load(JavaSparkContext sc, DataConfig d, long seed, int shards,
      String configSource) {
    d.check(configSource);
    return d.isTable() ? tables(sc, d, seed, shards, configSource) : idx(sc, d, seed, shards, configSource);
  }

  /**
   * The IDX files' headers, checked on the driver before Spark starts: {@code {train images, train labels, test
   * images, test labels}}.
   */
  public static IdxHeader[] idxHeaders(DataConfig d, org.apache.hadoop.conf.Configuration conf) {
    String dir = d.dir() == null ? MnistFiles.defaultDir() : d.dir();
    String[] files = MnistFiles.paths(dir, conf);
    IdxHeader[] train = IdxBlocks.headers(files[0], files[1], conf);
    IdxHeader[] test = IdxBlocks.headers(files[2], files[3], conf);
    if (test[0].rowBytes() != train[0].rowBytes()) {
      throw new DataFileException(files[2], "holds images of " + test[0].rowBytes() + " pixels, but the training"
          + " images " + files[0] + " have " + train[0].rowBytes() + "; expected test images of the training"
          + " images' shape");
    }
    return new IdxHeader[] {train[0], train[1], test[0], test[1]};
  }

  private static DistributedData idx(JavaSparkContext sc, DataConfig d, long seed, int shards,
      String configSource) {
    IdxHeader[] h = idxHeaders(d, sc.hadoopConfiguration());
    long n = rows(d, h[0].count());
    Plan plan = plan(sc, d, n, seed, shards, configSource);
    int classes = d.classes() > 0 ? d.classes() : IdxBlocks.maxLabel(sc, h[1], n, plan.partitions) + 1;
    String dir = d.dir() == null ? MnistFiles.defaultDir() : d.dir();
    return cache(d, h[0].path(), dir, classes,
        IdxBlocks.of(sc, h[0], h[1], plan.train, classes),
        plan.validation == null ? null : IdxBlocks.of(sc, h[0], h[1], plan.validation, classes),
        () -> IdxBlocks.of(sc, h[2], h[3], RowSelection.ranges(h[2].count(), Math.min(plan.partitions,
            h[2].count())), classes), h[2].path());
  }

  private static DistributedData tables(JavaSparkContext sc, DataConfig d, long seed, int shards,
      String configSource) {
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    TableSource train = TableSource.of(TableSource.read(spark, d.format(), d.train(), d.numFeatures()),
        new TableColumns(d.features(), d.label(), d.train()));
    TableSource.Scan scan = train.scan(d.classes());
    int classes = d.classes() > 0 ? d.classes() : scan.maxLabel() + 1;
    long n = rows(d, scan.rows());
    Plan plan = plan(sc, d, n, seed, shards, configSource);
    // A LibSVM test file is read at the training file's width (its own largest index may be smaller).
    int width = d.format().equals("libsvm") ? scan.width() : 0;
    return cache(d, d.train(), d.train() + " and " + d.test(), classes, train.blocks(scan, plan.train, classes),
        plan.validation == null ? null : train.blocks(scan, plan.validation, classes), () -> {
          TableSource test = TableSource.of(TableSource.read(spark, d.format(), d.test(), width),
              new TableColumns(d.features(), d.label(), d.test()));
          TableSource.Scan t = test.scan(classes);
          if (t.width() != scan.width()) {
            throw new DataFileException(d.test(), "column '" + d.features() + "' has rows of " + t.width()
                + " features, but the training table " + d.train() + " has " + scan.width() + "; expected the"
                + " training table's width");
          }
          return test.blocks(t, RowSelection.ranges(t.rows(), (int) Math.min(plan.partitions, t.rows())), classes);
        }, d.test());
  }

  private static long rows(DataConfig d, long available) {
    return d.limit() > 0 && d.limit() < available ? d.limit() : available;
  }

  /** Training and validation selections of the first {@code n} rows. */
  private record Plan(int partitions, List<RowSelection> train, List<RowSelection> validation) {}

  private static Plan plan(JavaSparkContext sc, DataConfig d, long n, long seed, int shards, String configSource) {
    if (n > Integer.MAX_VALUE) {
      throw new ConfigException(configSource + ": the training set has " + n + " rows; at most "
          + Integer.MAX_VALUE + " can be split (use data.limit)");
    }
    if (d.validation() >= n) {
      throw new ConfigException("key 'data.validation' is " + d.validation() + ", but the training set has only "
          + n + " rows");
    }
    long kept = n - d.validation();
    if (d.partitions() > kept) {
      throw new ConfigException("key 'data.partitions' is " + d.partitions() + ", but the training set has only "
          + kept + " rows (after the validation split); expected at most one partition per row");
    }
    // data.partitions 0 means Spark's default parallelism, but never more partitions than rows (or shards).
    int partitions = d.partitions() > 0 ? d.partitions() : (int) Math.min(sc.defaultParallelism(), kept);
    if (shards > 0 && d.partitions() == 0) {
      partitions = Math.min(partitions, shards);
    }
    TrainPlan.checkPartitions(configSource, partitions, shards);
    if (shards > kept) {
      throw new ConfigException(configSource + ": key 'shards' is " + shards + ", but the training set has only "
          + kept + " rows (after the validation split); expected at most one shard per row");
    }
    int[] held = ValidationSplit.choose((int) n, d.validation(), seed);
    return new Plan(partitions, shards > 0 ? RowSelection.without(n, held, ShardPlan.rowCuts(kept, partitions,
        shards)) : RowSelection.without(n, held, partitions),
        held.length == 0 ? null : RowSelection.of(held, Math.min(partitions, held.length)));
  }

  private static DistributedData cache(DataConfig d, String trainSource, String source, int classes,
      JavaRDD<io.sparknn.data.Dataset> train, JavaRDD<io.sparknn.data.Dataset> validation,
      java.util.function.Supplier<JavaRDD<io.sparknn.data.Dataset>> test, String testSource) {
    PartitionedDataset tr = null;
    PartitionedDataset va = null;
    PartitionedDataset te = null;
    try {
      tr = PartitionedDataset.cache(train, "train", trainSource);
      va = validation == null ? null : PartitionedDataset.cache(validation, "validation", trainSource);
      te = PartitionedDataset.cache(test.get(), "test", testSource);
      if (d.standardize()) {
        double[] ms = tr.meanAndStd();
        tr = tr.standardized(ms[0], ms[1]);
        va = va == null ? null : va.standardized(ms[0], ms[1]);
        te = te.standardized(ms[0], ms[1]);
      }
      return new DistributedData(tr, va, te, classes, source);
    } catch (RuntimeException e) {
      for (PartitionedDataset p : new PartitionedDataset[] {tr, va, te}) {
        if (p != null) {
          p.close();
        }
      }
      throw e;
    }
  }

  /** Rows of each set, for the run's log line. */
  public String describe() {
    return String.format("%d training, %d validation, %d test rows from %s", train.rows(),
        validation == null ? 0 : validation.rows(), test.rows(), source);
  }

  @Override
  public void close() {
    train.close();
    if (validation != null) {
      validation.close();
    }
    test.close();
  }
}
