package io.sparknn.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * Where the data comes from and how it is prepared. The executors read it (each partition its own rows); the
 * driver sees only headers, schemas and counts.
 *
 * @param format {@code idx} (default: an MNIST-style directory of four IDX files), {@code parquet} or
 *     {@code libsvm} (tables read by Spark)
 * @param dir for {@code idx}: directory of the four IDX files (any Hadoop path); default the embedded
 *     {@code data/mnist}
 * @param train for {@code parquet}/{@code libsvm}: the training table (a file or directory, any Hadoop path)
 * @param test for {@code parquet}/{@code libsvm}: the test table
 * @param features the features column of a table: a Spark ML vector, {@code array<float>} or
 *     {@code array<double>}
 * @param label the label column of a table: numbers that are class indices
 * @param classes number of classes; 0 (default) takes the training labels' largest value plus one
 * @param numFeatures for {@code libsvm}: the width of the rows; 0 (default) lets Spark find the largest index in
 *     the training file, and the test file is read at that width
 * @param validation rows of the training set held out for validation (a seeded random choice)
 * @param standardize subtract the training mean and divide by its standard deviation (one scalar each)
 * @param partitions training partitions; 0 means Spark's default parallelism
 * @param limit use only the first {@code limit} training rows (0: all), for quick runs and tests
 * @param augmentation per-batch image augmentation, or absent
 */
public record DataConfig(String format, String dir, String train, String test, String features, String label,
    Integer classes, @JsonProperty("num_features") Integer numFeatures, Integer validation, Boolean standardize,
    Integer partitions, Integer limit, AugmentationConfig augmentation) {
  public static final DataConfig DEFAULT = new DataConfig(null, null, null, null, null, null);
  /** The formats {@code format} may name. */
  public static final List<String> FORMATS = List.of("idx", "parquet", "libsvm");

  public DataConfig {
    format = format == null ? "idx" : format.toLowerCase(Locale.ROOT);
    features = features == null ? "features" : features;
    label = label == null ? "label" : label;
    classes = classes == null ? 0 : classes;
    numFeatures = numFeatures == null ? 0 : numFeatures;
    validation = validation == null ? 5000 : validation;
    standardize = standardize != null && standardize;
    partitions = partitions == null ? 0 : partitions;
    limit = limit == null ? 0 : limit;
  }

  /** IDX data from {@code dir}, as the experiments and sweeps build it. */
  public DataConfig(String dir, Integer validation, Boolean standardize, Integer partitions, Integer limit,
      AugmentationConfig augmentation) {
    this(null, dir, null, null, null, null, null, null, validation, standardize, partitions, limit, augmentation);
  }

  /** Whether the data is a table read by Spark (Parquet, LibSVM) rather than IDX files. */
  @JsonIgnore
  public boolean isTable() {
    return !format.equals("idx");
  }

  /**
   * Refuses combinations of keys that cannot go together, naming the keys: an unknown format, {@code dir} for a
   * table, {@code train}/{@code test} for IDX, a table without both paths, {@code num_features} outside LibSVM.
   */
  public void check(String source) {
    if (!FORMATS.contains(format)) {
      throw new ConfigException(source + ": key 'data.format' is '" + format + "'; expected one of " + FORMATS);
    }
    if (classes < 0 || classes > 256) {
      throw new ConfigException(source + ": key 'data.classes' is " + classes + "; expected 1 to 256, or 0 to take"
          + " the number of classes from the training labels");
    }
    if (numFeatures < 0) {
      throw new ConfigException(source + ": key 'data.num_features' is " + numFeatures + "; expected an integer"
          + " >= 0 (0: found in the training file)");
    }
    if (!isTable()) {
      if (train != null || test != null) {
        throw new ConfigException(source + ": key 'data." + (train != null ? "train" : "test") + "' is for tables"
            + " (data.format parquet or libsvm); IDX files are read from the directory in 'data.dir'");
      }
      if (numFeatures != 0) {
        throw new ConfigException(source + ": key 'data.num_features' is for data.format libsvm only");
      }
      return;
    }
    if (dir != null) {
      throw new ConfigException(source + ": key 'data.dir' names a directory of IDX files, but data.format is '"
          + format + "'; give the tables as 'data.train' and 'data.test'");
    }
    if (train == null || test == null) {
      throw new ConfigException(source + ": key 'data." + (train == null ? "train" : "test") + "' is required"
          + " with data.format " + format + ": the path of the " + (train == null ? "training" : "test") + " table");
    }
    if (numFeatures != 0 && !format.equals("libsvm")) {
      throw new ConfigException(source + ": key 'data.num_features' is for data.format libsvm only; a " + format
          + " table's rows give their width");
    }
  }

  /**
   * Random translation and rotation of each training image, drawn per (seed, iteration, partition).
   *
   * @param shift largest translation in pixels
   * @param rotate largest rotation in degrees
   */
  public record AugmentationConfig(Double shift, @JsonProperty("rotate") Double rotate) {
    public AugmentationConfig {
      shift = shift == null ? 2.0 : shift;
      rotate = rotate == null ? 10.0 : rotate;
    }
  }
}
