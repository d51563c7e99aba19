package io.sparknn.train.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;

/**
 * How {@link SparkTrainer}'s driver and tasks meet each iteration. {@code JOBS} (the default): one Spark job per
 * iteration, the weights broadcast and the gradient sums returned as task results ({@link Aggregation} says
 * how they are added). {@code CHANNEL}: one barrier stage per epoch whose tasks, one per partition and all
 * running at once, stay alive and exchange weights and gradient sums with the driver over a
 * {@link ChannelSession} every iteration; no job, broadcast or task launch per iteration. The arithmetic is the
 * same (the driver adds the sums in partition order and applies the update), so both end in the same bits. The
 * Spark setting {@value #KEY} = {@code jobs} or {@code channel}.
 */
public enum Exchange {
  JOBS, CHANNEL;

  /** Spark setting: {@code jobs} (the default) or {@code channel}. */
  public static final String KEY = "spark.sparknn.exchange";

  /** The exchange {@code conf} asks for. */
  public static Exchange of(SparkConf conf) {
    String v = conf.get(KEY, "jobs").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "jobs" -> JOBS;
      case "channel" -> CHANNEL;
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected jobs or channel");
    };
  }
}
