package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.GradientSum;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * {@link SparkTrainer}'s iterations over {@link ChannelSession}s: opens a session when an iteration needs one,
 * keeps it from epoch to epoch, and closes it before anything else needs the task slots, since the barrier stage
 * holds every slot it runs on: at an epoch's end when a validation job follows or another job is waiting, and
 * between epochs as soon as Spark reports another job starting (a listener's job, which the driver's thread
 * then waits for). When a session breaks, it aborts it, opens another and runs the same iteration again from
 * the same weights, so a lost task or executor changes no bit of the result. Gives up after
 * {@value #RESTARTS_KEY} restarts in one run (3 by default).
 *
 * <p>Every partition's task must run at once. Before opening a session it waits (up to {@value #TIMEOUT_KEY},
 * 120 s by default, which also bounds the tasks' connecting) for the cluster to offer that many task slots, and
 * refuses with a message naming both counts if it does not; Spark itself would retry the stage for minutes.
 * The links are plain TCP guarded by a random token: they use neither Spark's authentication nor its
 * encryption, so the channel is refused when {@code spark.authenticate} or {@code spark.network.crypto.enabled}
 * is on.
 */
final class ChannelRounds implements AutoCloseable {
  /** Spark setting: how many times one run may open a new session after a broken one (default 3). */
  static final String RESTARTS_KEY = "spark.sparknn.channel.restarts";
  /** Spark setting: how long to wait for task slots and for the tasks to connect (default 120s). */
  static final String TIMEOUT_KEY = "spark.sparknn.channel.timeout";
  private static final long SLOT_POLL_MS = 100;
  /** The job property Spark's {@code setJobGroup} sets. */
  private static final String JOB_GROUP = "spark.jobGroup.id";

  private final SparkContext sc;
  private final RDD<Dataset> data;
  // The sums' aggregation may fall back from the tasks to the driver once (see round).
  private ChannelWork work;
  private final boolean mayFallBack;
  private String fallback;
  private final int maxRestarts;
  private final long timeoutMs;
  // Guards session and idle: between epochs Spark's listener thread may close the session (otherJobStarted).
  private final Object lock = new Object();
  private final SparkListener otherJobs = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart start) {
      otherJobStarted(start);
    }
  };
  private ChannelSession session;
  private boolean idle;
  private int restarts;
  private long lostIteration = -1;
  private int attempt;

  /**
   * @param mayFallBack whether the sums may move from the tasks to the driver when the tasks cannot reach each
   *     other ({@code work}'s aggregation chosen by {@code auto}, not asked for)
   */
  ChannelRounds(SparkContext sc, RDD<Dataset> data, ChannelWork work, boolean mayFallBack) {
    SparkConf conf = sc.conf();
    String secured = Exchange.secured(conf);
    if (secured != null) {
      throw new IllegalArgumentException("Spark setting " + Exchange.KEY + "=channel sends weights and gradients"
          + " over plain TCP, but " + secured + " is true; use " + Exchange.KEY + "=jobs on this cluster");
    }
    this.sc = sc;
    this.data = data;
    this.work = work;
    this.mayFallBack = mayFallBack;
    this.maxRestarts = conf.getInt(RESTARTS_KEY, 3);
    this.timeoutMs = conf.getTimeAsMs(TIMEOUT_KEY, "120s");
    if (maxRestarts < 0 || timeoutMs <= 0) {
      throw new IllegalArgumentException("Spark settings " + RESTARTS_KEY + " = " + maxRestarts + " and "
          + TIMEOUT_KEY + " = " + timeoutMs + " ms; expected a count >= 0 and a positive time");
    }
    sc.addSparkListener(otherJobs);
  }

  /**
   * Runs iteration ({@code epoch}, {@code step}) from {@code parameters} and running statistics {@code state},
   * adding its sums into {@code sum} (reset here, also before a rerun), its times and bytes to {@code times}.
   */
  void round(int epoch, int step, double[] parameters, double[] state, GradientSum sum, IterationTimes times,
      TaskClock clock) {
    long iteration = work.schedule().iteration(epoch, step);
    while (true) {
      ChannelSession s;
      synchronized (lock) {
        idle = false;
        s = session;
      }
      if (s == null) {
        awaitSlots();
        s = open();
        synchronized (lock) {
          session = s;
        }
      }
      try {
        sum.reset(parameters.length, state.length);
        s.round(epoch, step, iteration == lostIteration ? attempt : 0, parameters, state, work.wire(), sum, times,
            clock);
        return;
      } catch (ChannelLostException e) {
        s.abort();
        synchronized (lock) {
          session = null;
        }
        if (++restarts > maxRestarts) {
          throw new IllegalStateException("the training channel broke " + restarts + " times (" + RESTARTS_KEY
              + " = " + maxRestarts + "); last at iteration " + iteration + ": " + e.getMessage(), e);
        }
        attempt = iteration == lostIteration ? attempt + 1 : 1;
        lostIteration = iteration;
        System.err.println("sparknn: " + e.getMessage() + "; running iteration " + iteration
            + " again in a new stage (restart " + restarts + " of at most " + maxRestarts + ")");
      }
    }
  }

  /**
   * A new session; if its tasks were to add the sums among themselves but cannot reach each other, and the
   * aggregation was {@code auto}'s choice, one whose driver adds them (from then on, for the rest of the run).
   */
  private ChannelSession open() {
    try {
      return ChannelSession.open(sc, data, work, timeoutMs);
    } catch (PeersUnreachableException e) {
      if (!mayFallBack) {
        throw new IllegalStateException("Spark setting " + Aggregation.KEY + "=sliced has the channel's tasks add "
            + "the sums among themselves, but they cannot reach each other (" + e.getMessage() + "); executors "
            + "must reach each other on any port, or use " + Aggregation.KEY + "=direct", e);
      }
      fallback = e.getMessage();
      work = work.withAggregation(Aggregation.DIRECT);
      System.err.println("sparknn: the channel's tasks cannot reach each other (" + fallback + "); the driver "
          + "adds the sums from now on (" + Aggregation.KEY + "=direct would skip the attempt)");
      return ChannelSession.open(sc, data, work, timeoutMs);
    }
  }

  /** Why the tasks' own aggregation was given up for the driver's, or null if it was not. */
  String fallback() {
    return fallback;
  }

  /** Times a broken session was replaced so far. */
  int restarts() {
    return restarts;
  }

  /** Ends the current session, if any, so other jobs can have the task slots. */
  void pause() {
    synchronized (lock) {
      ChannelSession s = session;
      session = null;
      if (s != null) {
        s.close();
      }
    }
  }

  /**
   * Called at an epoch's end, before its evaluation and listeners: ends the session if {@code slotsNeeded} (a
   * validation job follows) or another job is already waiting, else keeps it for the next epoch, to be ended
   * as soon as another job starts before then.
   */
  void epochEnded(boolean slotsNeeded) {
    synchronized (lock) {
      idle = true;  // first: a job starting from now on ends the session (otherJobStarted)
    }
    if (slotsNeeded || otherJobRunning()) {
      pause();
    }
  }

  /** Ends the current session: cleanly after success, by aborting it after a failure. */
  void finish(boolean afterSuccess) {
    sc.removeSparkListener(otherJobs);
    if (afterSuccess) {
      pause();
    } else {
      synchronized (lock) {
        if (session != null) {
          session.abort();
          session = null;
        }
      }
    }
  }

  /** Spark's listener thread: between epochs, another job's start ends the session so the job gets slots. */
  private void otherJobStarted(SparkListenerJobStart start) {
    String group = start.properties() == null ? null : start.properties().getProperty(JOB_GROUP);
    synchronized (lock) {
      if (!idle || session == null || session.id().equals(group)) {
        return;
      }
      try {
        pause();
      } catch (RuntimeException e) {
        // Every round of the session had succeeded; the next iteration opens a new one.
        System.err.println("sparknn: ending the training stage for job " + start.jobId() + ": " + e.getMessage());
      }
    }
  }

  /** Whether a job other than the current session's is active (submitted and not finished). */
  private boolean otherJobRunning() {
    ChannelSession s;
    synchronized (lock) {
      s = session;
    }
    if (s == null) {
      return false;
    }
    Set<Integer> ours = new HashSet<>();
    for (int id : sc.statusTracker().getJobIdsForGroup(s.id())) {
      ours.add(id);
    }
    for (int id : sc.statusTracker().getActiveJobIds()) {
      if (!ours.contains(id)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    finish(true);
  }

  private void awaitSlots() {
    int needed = data.partitions().length;
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    int slots;
    while ((slots = Exchange.taskSlots(sc)) < needed) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Spark setting " + Exchange.KEY + "=channel runs all " + needed
            + " partitions' tasks at once, but the cluster offers " + slots + " task slots after " + timeoutMs
            + " ms; use at most " + slots + " partitions, more executors, or " + Exchange.KEY + "=jobs");
      }
      try {
        Thread.sleep(SLOT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for task slots", e);
      }
    }
  }
}
