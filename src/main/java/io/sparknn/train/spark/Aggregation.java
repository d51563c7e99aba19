package io.sparknn.train.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;

/**
 * How {@link SparkTrainer} adds up an iteration's gradient sums. {@code DIRECT}: every task sends its whole sum
 * to the driver, which adds them in partition order (the driver receives {@code P·|w|} values). {@code SLICED}:
 * a reduce-scatter, each slice of the vector summed over every partition in partition order by one task, so the
 * driver receives {@code |w|} values whatever {@code P}: on the jobs path through the shuffle
 * ({@link SlicedAggregation}, a second stage), on the channel among its long-lived tasks ({@link PeerMesh}, which
 * also spreads the weights, so the driver sends one copy instead of {@code P}). Both give the same bits. The
 * Spark setting {@value #KEY} = {@code auto} (default), {@code direct} or {@code sliced}; {@code auto} asks the
 * {@link CommunicationModel} which is faster for the exchange in use.
 */
public enum Aggregation {
  DIRECT, SLICED;

  /** Spark setting choosing the aggregation: {@code auto} (the default), {@code direct} or {@code sliced}. */
  public static final String KEY = "spark.sparknn.aggregation";

  /** Whether {@code conf} leaves the choice to the model ({@code auto}, the default). */
  public static boolean automatic(SparkConf conf) {
    return conf.get(KEY, "auto").trim().equalsIgnoreCase("auto");
  }

  /** The jobs path's aggregation for {@code partitions} tasks and {@code weights} values under {@code conf}. */
  public static Aggregation choose(SparkConf conf, int partitions, int weights) {
    return choose(conf, partitions, weights, Exchange.JOBS);
  }

  /** The aggregation over {@code how} for {@code partitions} tasks and {@code weights} values under {@code conf}. */
  public static Aggregation choose(SparkConf conf, int partitions, int weights, Exchange how) {
    String v = conf.get(KEY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "direct" -> DIRECT;
      case "sliced" -> SLICED;
      case "auto" -> {
        CommunicationModel m = CommunicationModel.fromConf(conf);
        boolean sliced = how == Exchange.CHANNEL
            ? m.slicedChannelPays(partitions, weights, Runtime.getRuntime().availableProcessors())
            : m.slicedPays(partitions, weights);
        yield sliced ? SLICED : DIRECT;
      }
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected auto, direct or sliced");
    };
  }
}
