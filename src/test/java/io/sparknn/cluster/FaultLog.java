package io.sparknn.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.RDDBlockId;

/**
 * A listener for a submitted driver ({@code spark.extraListeners}) that writes the faults its scheduler saw to
 * the file named by {@value #FILE_KEY}, one line each, in the order Spark delivered them:
 * {@code executor-removed <id>}, {@code task-failed <stage> <partition> <attempt> <reason>} and
 * {@code rdd-block <block> <executor>} for every cached RDD partition stored, so a test can tell that an
 * executor was lost and its cached partitions computed again elsewhere.
 */
public final class FaultLog extends SparkListener {
  public static final String FILE_KEY = "spark.sparknn.test.faultLog";
  private final Path file;

  public FaultLog(SparkConf conf) {
    this.file = Path.of(conf.get(FILE_KEY));
  }

  private synchronized void write(String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
    write("executor-removed " + e.executorId());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    if (!e.taskInfo().successful()) {
      write("task-failed " + e.stageId() + " " + e.taskInfo().partitionId() + " " + e.taskInfo().attemptNumber()
          + " " + e.reason().getClass().getSimpleName());
    }
  }

  @Override
  public void onBlockUpdated(SparkListenerBlockUpdated e) {
    if (e.blockUpdatedInfo().blockId() instanceof RDDBlockId block && e.blockUpdatedInfo().storageLevel().isValid()) {
      write("rdd-block " + block.name() + " " + e.blockUpdatedInfo().blockManagerId().executorId());
    }
  }
}
