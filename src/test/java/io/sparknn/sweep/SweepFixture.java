package io.sparknn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Small sweeps on a slice of MNIST for the Spark tests, and a listener that watches their jobs and tasks. */
final class SweepFixture {
  /** Shared by every test sweep: each distinct data config is read from the MNIST files once. */
  private static final SweepData DATA = new SweepData();

  private SweepFixture() {}

  /** 9 random trials over lr and dropout, rungs 1 and 3 epochs, on 900 training and 300 validation digits. */
  static String yaml(Path out, String mode, int parallelism) {
    return SweepSpecTest.BASE + """
        name: test-sweep
        search:
          trials: 9
          params:
            optimizer.lr: {loguniform: [0.02, 0.3]}
            model.2.p: [0.0, 0.2]
        seed: 3
        budget: {epochs: 3}
        early_stopping: {factor: 3}
        """ + "mode: " + mode + "\nparallelism: " + parallelism + "\noutput: {dir: '" + out + "'}\n";
  }

  static Path write(Path file, String yaml) {
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Plans, opens the directory and runs {@code yaml} in {@code sc}; {@code hooks} may set test hooks. */
  static SweepResult run(Path file, String yaml, JavaSparkContext sc, UnaryOperator<SweepSession> hooks) {
    Sweep sweep = Sweep.load(write(file, yaml), List.of());
    try (SweepDirectory dir = SweepDirectory.open(sweep)) {
      return hooks.apply(new SweepSession(sweep, TrialPlanner.plan(sweep), dir, DATA, sc)).run();
    }
  }

  /** {@code trials.jsonl} without what may differ between equal runs: timings and task attempts. */
  static List<String> results(Path dir) {
    List<String> lines = new ArrayList<>();
    for (JsonNode n : TrialLog.read(dir.resolve(SweepDirectory.TRIALS)).values()) {
      lines.add(TrialRecord.canonical(strip(n.deepCopy())));
    }
    return lines;
  }

  private static JsonNode strip(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove(List.of("seconds", "attempt"));
      for (Iterator<JsonNode> it = o.elements(); it.hasNext();) {
        strip(it.next());
      }
    } else if (n.isArray()) {
      n.forEach(SweepFixture::strip);
    }
    return n;
  }

  /** Watches the jobs of sweep trials (job group {@code sweep-*}): descriptions, pools, tasks and their overlap. */
  static final class Watcher extends SparkListener {
    final List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
    final List<String> pools = Collections.synchronizedList(new ArrayList<>());
    final List<long[]> taskTimes = Collections.synchronizedList(new ArrayList<>());
    // {job group (the trial), launch ms, finish ms} of every sweep task
    final List<Object[]> taskSpans = Collections.synchronizedList(new ArrayList<>());
    final List<String> failedTasks = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, String> stageGroups = new ConcurrentHashMap<>();

    static Watcher on(JavaSparkContext sc) {
      Watcher w = new Watcher();
      sc.sc().addSparkListener(w);
      return w;
    }

    void stop(JavaSparkContext sc) {
      try {
        sc.sc().listenerBus().waitUntilEmpty(30_000);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not drain", e);
      }
      sc.sc().removeSparkListener(this);
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
      String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
      if (group != null && group.startsWith("sweep-")) {
        descriptions.add(e.properties().getProperty("spark.job.description"));
        pools.add(String.valueOf(e.properties().getProperty("spark.scheduler.pool")));
      }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
      String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
      if (group != null && group.startsWith("sweep-")) {
        stageGroups.put(e.stageInfo().stageId(), group);
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      if (stageGroups.containsKey(e.stageId())) {
        taskTimes.add(new long[] {e.taskInfo().launchTime(), e.taskInfo().finishTime()});
        taskSpans.add(new Object[] {stageGroups.get(e.stageId()), e.taskInfo().launchTime(),
            e.taskInfo().finishTime()});
        if (!e.taskInfo().successful()) {
          failedTasks.add(stageGroups.get(e.stageId()) + " attempt " + e.taskInfo().attemptNumber());
        }
      }
    }

    /** Most sweep tasks that were running at the same moment. */
    int maxConcurrentTasks() {
      List<long[]> events = new ArrayList<>();
      synchronized (taskTimes) {
        for (long[] t : taskTimes) {
          events.add(new long[] {t[0], 1});
          events.add(new long[] {t[1], -1});
        }
      }
      events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      int now = 0;
      int max = 0;
      for (long[] ev : events) {
        now += (int) ev[1];
        max = Math.max(max, now);
      }
      return max;
    }

    /**
     * Most trials that had a task running at the same moment: two tasks of one trial (its partitions) count
     * once, so 2 means tasks of two different trials overlapped in time.
     */
    int maxConcurrentTrials() {
      List<Object[]> events = new ArrayList<>();
      synchronized (taskSpans) {
        for (Object[] t : taskSpans) {
          events.add(new Object[] {t[1], 1, t[0]});
          events.add(new Object[] {t[2], -1, t[0]});
        }
      }
      // Ends before starts at the same millisecond: touching spans do not overlap.
      events.sort((a, b) -> !a[0].equals(b[0]) ? Long.compare((Long) a[0], (Long) b[0])
          : Integer.compare((Integer) a[1], (Integer) b[1]));
      Map<String, Integer> running = new java.util.HashMap<>();
      int max = 0;
      for (Object[] ev : events) {
        running.merge((String) ev[2], (Integer) ev[1], Integer::sum);
        running.values().removeIf(n -> n == 0);
        max = Math.max(max, running.size());
      }
      return max;
    }
  }
}
