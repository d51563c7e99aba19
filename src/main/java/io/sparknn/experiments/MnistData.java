package io.sparknn.experiments;

import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.run.PreparedData;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * MNIST-format training, validation and test sets of an experiment, distributed and cached on Spark with the
 * same partition count: what {@code TrainJob} prepares, shared by the experiments (read and split once with
 * {@link PreparedData}, held out by a seeded random choice, then cut into partitions). Closing it unpersists
 * all three.
 */
public final class MnistData implements AutoCloseable {
  private final PreparedData data;
  private final PartitionedDataset train;
  private final PartitionedDataset validation;
  private final PartitionedDataset test;

  private MnistData(PreparedData data, PartitionedDataset train, PartitionedDataset validation,
      PartitionedDataset test) {
    this.data = data;
    this.train = train;
    this.validation = validation;
    this.test = test;
  }

  /** Reads the data {@code d} describes on the driver (before Spark starts, so bad input fails early). */
  public static PreparedData read(DataConfig d, long seed) {
    PreparedData p = PreparedData.load(d, seed);
    if (p.validation() == null) {
      throw new ConfigException("key 'data.validation' is 0; the experiments need a "
          + "validation set (e.g. 5000)");
    }
    System.out.printf("sparknn: %d training, %d validation, %d test rows from %s%n", p.train().rows(),
        p.validation().rows(), p.test().rows(), p.dir());
    return p;
  }

  /** Distributes {@code p} over {@code partitions} partitions (0: Spark's default parallelism). */
  public static MnistData distribute(JavaSparkContext sc, PreparedData p, int partitions) {
    int n = partitions > 0 ? partitions : sc.defaultParallelism();
    PartitionedDataset train = PartitionedDataset.distribute(sc, p.train(), n, "train");
    PartitionedDataset validation = PartitionedDataset.distribute(sc, p.validation(), n, "validation");
    PartitionedDataset test = PartitionedDataset.distribute(sc, p.test(), n, "test");
    return new MnistData(p, train, validation, test);
  }

  public PreparedData local() {
    return data;
  }

  public PartitionedDataset train() {
    return train;
  }

  public PartitionedDataset validation() {
    return validation;
  }

  public PartitionedDataset test() {
    return test;
  }

  @Override
  public void close() {
    train.close();
    validation.close();
    test.close();
  }
}
