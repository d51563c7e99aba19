package io.sparknn.train.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;

/**
 * How {@link SparkTrainer} adds up an iteration's gradient sums. {@code DIRECT}: every task returns its whole
 * sum to the driver, which adds them in partition order (one stage; the driver receives {@code P·|w|} values).
 * {@code SLICED}: a reduce-scatter through the shuffle ({@link SlicedAggregation}; two stages; the driver
 * receives {@code |w|} values whatever {@code P}). Both give the same bits. The Spark setting
 * {@value #KEY} = {@code auto} (default), {@code direct} or {@code sliced}; {@code auto} asks
 * {@link CommunicationModel#slicedPays}.
 */
public enum Aggregation {
  DIRECT, SLICED;

  /** Spark setting choosing the aggregation: {@code auto} (the default), {@code direct} or {@code sliced}. */
  public static final String KEY = "spark.sparknn.aggregation";

  /** The path for {@code partitions} tasks and {@code weights} values under {@code conf}'s setting. */
  public static Aggregation choose(SparkConf conf, int partitions, int weights) {
    String v = conf.get(KEY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "direct" -> DIRECT;
      case "sliced" -> SLICED;
      case "auto" -> CommunicationModel.fromConf(conf).slicedPays(partitions, weights) ? SLICED : DIRECT;
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected auto, direct or sliced");
    };
  }
}
