package io.sparknn.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What Spark's scheduler reported about the tasks of a local-mode context while it listened: every task end
 * with its stage, partition, attempt number and outcome, so a fault-injection test can show that a task really
 * failed and was retried rather than trusting the fault hook.
 */
public final class TaskEvents extends SparkListener {
  /** One task's end: a failed one carries the exception's message. */
  public record TaskEnd(int stage, int partition, int attempt, boolean successful, String failure) {}

  private final List<TaskEnd> ends = Collections.synchronizedList(new ArrayList<>());

  /** Starts listening once Spark has delivered the events of every job so far, so none of them is counted. */
  public static TaskEvents on(JavaSparkContext sc) {
    drain(sc);
    TaskEvents events = new TaskEvents();
    sc.sc().addSparkListener(events);
    return events;
  }

  /** Waits until Spark has delivered every event so far, then stops listening. */
  public TaskEvents stop(JavaSparkContext sc) {
    drain(sc);
    sc.sc().removeSparkListener(this);
    return this;
  }

  private static void drain(JavaSparkContext sc) {
    try {
      sc.sc().listenerBus().waitUntilEmpty(30_000);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    String failure = e.reason() instanceof ExceptionFailure f ? f.description() : null;
    ends.add(new TaskEnd(e.stageId(), (int) e.taskInfo().partitionId(), e.taskInfo().attemptNumber(),
        e.taskInfo().successful(), failure));
  }

  public List<TaskEnd> ends() {
    synchronized (ends) {
      return new ArrayList<>(ends);
    }
  }

  public List<TaskEnd> failures() {
    return ends().stream().filter(t -> !t.successful()).toList();
  }
}
