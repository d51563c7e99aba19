package io.sparknn.run;

import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.ValidationSplit;

/**
 * The data the experiments, sweeps and tools train on, read on the driver through Hadoop's file systems (the
 * training job reads through {@link DistributedData} instead, on the executors, with the same split): the
 * training set (optionally limited), a seeded random validation split held out from it, and the official test
 * set, standardised with the training statistics when asked.
 */
public record PreparedData(Dataset train, Dataset validation, Dataset test, String dir) {

  public static PreparedData load(DataConfig d, long seed) {
    requireIdx(d);
    String dir = d.dir() == null ? MnistFiles.defaultDir() : d.dir();
    Dataset[] mnist = MnistFiles.trainAndTest(dir);
    Dataset all = d.limit() > 0 && d.limit() < mnist[0].rows() ? mnist[0].slice(0, d.limit()) : mnist[0];
    Dataset test = mnist[1];
    if (d.validation() >= all.rows()) {
      throw new ConfigException("key 'data.validation' is " + d.validation() + ", but the training set has only "
          + all.rows() + " rows");
    }
    int nVal = d.validation();
    // Validation rows are a random choice; the training rows keep the files' order (the trainer shuffles).
    int[] valRows = ValidationSplit.choose(all.rows(), nVal, seed);
    int[] trainRows = new int[all.rows() - nVal];
    for (int i = 0, v = 0, t = 0; i < all.rows(); i++) {
      if (v < nVal && valRows[v] == i) {
        v++;
      } else {
        trainRows[t++] = i;
      }
    }
    if (d.partitions() > trainRows.length) {
      throw new ConfigException("key 'data.partitions' is " + d.partitions() + ", but the training set has only "
          + trainRows.length + " rows (after the validation split); expected at most one partition per row");
    }
    Dataset train = all.subset(trainRows, 0, trainRows.length);
    Dataset validation = nVal == 0 ? null : all.subset(valRows, 0, valRows.length);
    if (d.standardize()) {
      double[] ms = train.meanAndStd();
      train = train.standardized(ms[0], ms[1]);
      validation = validation == null ? null : validation.standardized(ms[0], ms[1]);
      test = test.standardized(ms[0], ms[1]);
    }
    return new PreparedData(train, validation, test, dir);
  }

  /** Refuses a table: what reads through here (the experiments, sweeps and tools) reads IDX files only. */
  public static void requireIdx(DataConfig d) {
    if (d.isTable()) {
      throw new ConfigException("key 'data.format' is '" + d.format() + "', but the experiments, sweeps and tools"
          + " read IDX files only (data.format idx with data.dir); the training job reads tables");
    }
  }
}
