package io.sparknn.run;

import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.tensor.Seeds;
import java.util.SplittableRandom;

/**
 * The data a run trains, validates and tests on, read on the driver through Hadoop's file systems: the
 * training set (optionally limited), a seeded random validation split held out from it, and the official test
 * set, standardised with the training statistics when asked.
 */
public record PreparedData(Dataset train, Dataset validation, Dataset test, String dir) {

  public static PreparedData load(DataConfig d, long seed) {
    String dir = d.dir() == null ? MnistFiles.defaultDir() : d.dir();
    Dataset[] mnist = MnistFiles.trainAndTest(dir);
    Dataset all = d.limit() > 0 && d.limit() < mnist[0].rows() ? mnist[0].slice(0, d.limit()) : mnist[0];
    Dataset test = mnist[1];
    if (d.validation() >= all.rows()) {
      throw new ConfigException("key 'data.validation' is " + d.validation() + ", but the training set has only "
          + all.rows() + " rows");
    }
    int[] order = new int[all.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x5917));
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int nVal = d.validation();
    // Validation rows are a random choice; the training rows keep the files' order (the trainer shuffles).
    int[] valRows = java.util.Arrays.copyOfRange(order, 0, nVal);
    int[] trainRows = java.util.Arrays.copyOfRange(order, nVal, order.length);
    if (d.partitions() > trainRows.length) {
      throw new ConfigException("key 'data.partitions' is " + d.partitions() + ", but the training set has only "
          + trainRows.length + " rows (after the validation split); expected at most one partition per row");
    }
    java.util.Arrays.sort(valRows);
    java.util.Arrays.sort(trainRows);
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
}
