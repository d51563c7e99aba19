package io.sparknn.bench;

import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A {@link SparkListener} that adds up what Spark itself measures of every task that ends while it is
 * registered: deserialising the task, running it, serialising its result, the result's size (the bytes a
 * task sends the driver), shuffle bytes written and read remotely, and GC time; and the bytes of broadcast pieces
 * the executors stored (each fetched from the driver or from another executor that had it). The harness snapshots it
 * around a measured stretch of iterations (after {@code listenerBus().waitUntilEmpty()}).
 */
final class TaskMetricsTotals extends SparkListener {
  private long tasks;
  private long deserializeMs;
  private long runMs;
  private long resultSerializationMs;
  private long resultBytes;
  private long shuffleWriteBytes;
  private long shuffleRemoteReadBytes;
  private long gcMs;
  private long broadcastBytes;

  /** The totals at one moment. */
  record Snapshot(long tasks, long deserializeMs, long runMs, long resultSerializationMs, long resultBytes,
      long shuffleWriteBytes, long shuffleRemoteReadBytes, long gcMs, long broadcastBytes) {
    Snapshot minus(Snapshot o) {
      return new Snapshot(tasks - o.tasks, deserializeMs - o.deserializeMs, runMs - o.runMs,
          resultSerializationMs - o.resultSerializationMs, resultBytes - o.resultBytes,
          shuffleWriteBytes - o.shuffleWriteBytes, shuffleRemoteReadBytes - o.shuffleRemoteReadBytes, gcMs - o.gcMs,
          broadcastBytes - o.broadcastBytes);
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    TaskMetrics m = end.taskMetrics();
    if (m == null) {
      return;
    }
    tasks++;
    deserializeMs += m.executorDeserializeTime();
    runMs += m.executorRunTime();
    resultSerializationMs += m.resultSerializationTime();
    resultBytes += m.resultSize();
    shuffleWriteBytes += m.shuffleWriteMetrics().bytesWritten();
    shuffleRemoteReadBytes += m.shuffleReadMetrics().remoteBytesRead();
    gcMs += m.jvmGCTime();
  }

  @Override
  public synchronized void onBlockUpdated(SparkListenerBlockUpdated update) {
    var info = update.blockUpdatedInfo();
    if (info.blockId().isBroadcast() && info.blockId().name().contains("_piece")
        && !"driver".equals(info.blockManagerId().executorId()) && info.storageLevel().isValid()) {
      broadcastBytes += info.memSize() + info.diskSize();
    }
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(tasks, deserializeMs, runMs, resultSerializationMs, resultBytes, shuffleWriteBytes,
        shuffleRemoteReadBytes, gcMs, broadcastBytes);
  }
}
