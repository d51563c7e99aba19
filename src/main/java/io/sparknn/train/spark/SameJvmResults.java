package io.sparknn.train.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;

/**
 * The mailbox through which a task whose executor lives in the driver's JVM (Spark local mode) hands its result
 * to the driver by reference. Spark serialises every task result even in local mode, and for a 1.4 MB gradient
 * that is two serialisations and four copies per task (value, {@code DirectTaskResult}, and back) plus the
 * garbage, on every iteration. With the mailbox the task returns a small {@link Ticket} through Spark's normal
 * result path and the driver takes the object from here.
 *
 * <p>Only local mode opens boxes, and only an executor whose id is Spark's {@code driver} deposits into one, so
 * executors in other JVMs (any cluster, {@code local-cluster}) return their results through Spark as usual. A
 * job's box is open only while the driver waits for it: a late attempt (a retry or speculative copy finishing
 * after the job) finds it closed and falls back to the normal path, so nothing is left behind. A retried
 * partition overwrites its earlier deposit, which is identical anyway.
 */
final class SameJvmResults {
  /** Spark setting ({@code true} by default) for local mode's by-reference results; {@code false} serialises them. */
  static final String KEY = "spark.sparknn.sameJvmResults";

  /** Spark's executor id for the executor that runs inside the driver (SparkContext.DRIVER_IDENTIFIER). */
  private static final String DRIVER_EXECUTOR_ID = "driver";

  private static final Map<String, Map<Integer, Object>> OPEN = new ConcurrentHashMap<>();

  private SameJvmResults() {}

  /** What a task returns instead of its result when the result waits in the mailbox. */
  @DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
  record Ticket(String job, int partition) implements Serializable {}

  /** Whether the driver should open a box for a job on {@code sc}: local mode, unless switched off. */
  static boolean usable(SparkContext sc) {
    return sc.isLocal() && sc.conf().getBoolean(KEY, true);
  }

  static void open(String job) {
    OPEN.put(job, new ConcurrentHashMap<>());
  }

  /**
   * Executor side: leaves {@code result} in {@code job}'s box and returns the ticket for it, or returns
   * {@code result} itself when this executor is not in the driver's JVM or the job is no longer open.
   */
  static Object deposit(String job, int partition, Object result) {
    if (job == null || !DRIVER_EXECUTOR_ID.equals(SparkEnv.get().executorId())) {
      return result;
    }
    // Atomic against close(): a deposit either lands in an open box or is not made at all.
    boolean[] made = {false};
    OPEN.computeIfPresent(job, (k, box) -> {
      box.put(partition, result);
      made[0] = true;
      return box;
    });
    return made[0] ? new Ticket(job, partition) : result;
  }

  /** Driver side: closes {@code job}'s box and returns its contents by partition (empty if never opened). */
  static Map<Integer, Object> close(String job) {
    Map<Integer, Object> box = OPEN.remove(job);
    return box == null ? Map.of() : box;
  }

  /** Jobs whose box is open now (for tests: zero between jobs). */
  static int openJobs() {
    return OPEN.size();
  }
}
