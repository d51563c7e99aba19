package io.sparknn.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the data comes from and how it is prepared.
 *
 * @param dir directory of the four IDX files (any Hadoop path); default: the embedded {@code data/mnist}
 * @param validation rows of the training set held out for validation (a seeded random choice)
 * @param standardize subtract the training mean and divide by its standard deviation (one scalar each)
 * @param partitions training partitions; 0 means Spark's default parallelism
 * @param limit use only the first {@code limit} training rows (0: all), for quick runs and tests
 * @param augmentation per-batch image augmentation, or absent
 */
public record DataConfig(String dir, Integer validation, Boolean standardize, Integer partitions, Integer limit,
    AugmentationConfig augmentation) {
  public static final DataConfig DEFAULT = new DataConfig(null, null, null, null, null, null);

  public DataConfig {
    validation = validation == null ? 5000 : validation;
    standardize = standardize != null && standardize;
    partitions = partitions == null ? 0 : partitions;
    limit = limit == null ? 0 : limit;
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
