package io.sparknn.train.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * How {@link SparkTrainer}'s driver and tasks meet each iteration. {@code JOBS}: one Spark job per iteration, the
 * weights broadcast and the gradient sums returned as task results ({@link Aggregation} says how they are
 * added). {@code CHANNEL}: a barrier stage whose tasks, one per partition and all running at once, stay alive
 * and exchange weights and gradient sums with the driver over a {@link ChannelSession} every iteration, epoch
 * after epoch until something else needs the slots ({@link ChannelRounds}); no job, broadcast or task launch per
 * iteration. The arithmetic is the same (the sums added in partition order, on the driver or slice by slice
 * among the tasks as {@link Aggregation} says, and the update applied by the driver), so both end in the same bits.
 *
 * <p>The Spark setting {@value #KEY} = {@code auto} (the default), {@code jobs} or {@code channel}. {@code auto}
 * takes the channel when it can run and nothing asks for the jobs path: every partition fits the task slots
 * the cluster offers now, the scheduler is FIFO (under FAIR, concurrent fits share the executors iteration by
 * iteration, which a stage holding every slot for an epoch would prevent), dynamic allocation and speculation are
 * off (barrier stages support neither), Spark's authentication and encryption are off (the channel uses neither), and
 * weights in the task binary were not asked for. While the channel's stage runs it
 * holds every slot it took: it ends before a validation job and when another job starts between epochs (a
 * listener's {@code onEpoch} may run Spark jobs), and {@link SparkTrainer#evaluate} ends it first by itself, but
 * a listener that waits for other Spark jobs on those executors in {@code onIteration} needs {@code jobs}.
 */
public enum Exchange {
  JOBS, CHANNEL;

  /** Spark setting: {@code auto} (the default), {@code jobs} or {@code channel}. */
  public static final String KEY = "spark.sparknn.exchange";

  /** The exchange chosen for one fit, and why (for the run's log). */
  public record Choice(Exchange exchange, String reason) {}

  /** The exchange {@code conf} asks for: JOBS, CHANNEL, or null for {@code auto}. */
  public static Exchange setting(SparkConf conf) {
    String v = conf.get(KEY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "auto" -> null;
      case "jobs" -> JOBS;
      case "channel" -> CHANNEL;
      default -> throw new IllegalArgumentException("Spark setting " + KEY + " is '" + v
          + "'; expected auto, jobs or channel");
    };
  }

  /**
   * The exchange for a fit over {@code partitions} partitions on {@code sc}: the setting's, or under {@code auto}
   * the channel when it can run and {@code jobsPathAsked} is false (see the class comment).
   */
  public static Choice choose(SparkContext sc, int partitions, boolean jobsPathAsked) {
    return choose(sc.conf(), partitions, taskSlots(sc), jobsPathAsked);
  }

  /** As above, given the settings and the task slots the cluster offers. */
  static Choice choose(SparkConf conf, int partitions, int slots, boolean jobsPathAsked) {
    Exchange asked = setting(conf);
    if (asked != null) {
      return new Choice(asked, KEY + "=" + asked.name().toLowerCase(Locale.ROOT));
    }
    String why = null;
    if (jobsPathAsked) {
      why = "weights in the task binary asked for";
    } else if (!conf.get("spark.scheduler.mode", "FIFO").trim().equalsIgnoreCase("FIFO")) {
      why = "spark.scheduler.mode is not FIFO";
    } else if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      why = "dynamic allocation is on";
    } else if (conf.getBoolean("spark.speculation", false)) {
      why = "speculation is on";
    } else if (secured(conf) != null) {
      why = "Spark's authentication or encryption is on";
    } else if (slots < partitions) {
      why = partitions + " partitions, " + slots + " task slots";
    }
    return why == null ? new Choice(CHANNEL, "auto: " + partitions + " partitions fit " + slots + " task slots")
        : new Choice(JOBS, "auto: " + why);
  }

  /**
   * The first of Spark's authentication and encryption settings that is on in {@code conf}, or null: the
   * channel's links use neither, so it does not run where they are asked for.
   */
  static String secured(SparkConf conf) {
    for (String key : new String[] {"spark.authenticate", "spark.network.crypto.enabled"}) {
      if (conf.getBoolean(key, false)) {
        return key;
      }
    }
    return null;
  }

  /** Tasks the cluster can run at once now: what the barrier scheduler compares a stage's tasks with. */
  static int taskSlots(SparkContext sc) {
    // SparkContext.maxNumConcurrentTasks is Spark-internal (public in bytecode); it is the barrier scheduler's
    // own count, so the channel is taken exactly when its stage can start.
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }
}
