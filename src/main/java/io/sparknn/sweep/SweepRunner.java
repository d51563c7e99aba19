package io.sparknn.sweep;

import io.sparknn.config.TrainPlan;
import io.sparknn.nn.Sequential;
import io.sparknn.train.TrainingState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sweep's driver loop: asks {@link SuccessiveHalving} for the next step whenever one of the
 * {@code parallelism} slots is free, runs each step on its own driver thread through a {@link TrialRunner},
 * and, as each step ends, records it, rewrites {@code trials.jsonl}, prints a progress line and keeps the model
 * of the best trial that has trained the whole budget. A trial that diverges or fails with an error is
 * recorded as failed with the reason, and the sweep goes on; if Spark itself is gone, the sweep stops
 * unfinished instead, so that running it again resumes it.
 */
public final class SweepRunner {
  private final Sweep sweep;
  private final Map<String, TrialRecord> records;
  private final TrialRunner runner;
  private final SweepDirectory dir;
  private final SuccessiveHalving halving;
  private final int slots;
  private final int top;
  private TrialRecord best;
  private int interruptAfter = -1;

  /** One finished step. */
  private record Done(SuccessiveHalving.Step step, int slot, int fromEpochs, RungOutcome outcome) {}

  /** Thrown by the test hook {@link #interruptAfter}: the sweep stopped as if its driver had been killed. */
  public static final class Interrupted extends RuntimeException {
    Interrupted(int steps) {
      super("sweep interrupted after " + steps + " steps (test hook)");
    }
  }

  /**
   * @param records every planned trial's record, in plan order, already restored from an interrupted session
   */
  public SweepRunner(Sweep sweep, Map<String, TrialRecord> records, TrialRunner runner, SweepDirectory dir) {
    this.sweep = sweep;
    this.records = records;
    this.runner = runner;
    this.dir = dir;
    this.slots = sweep.parallelism() > 0 ? sweep.parallelism() : Math.max(1, runner.defaultSlots());
    this.top = sweep.rungs().size() - 1;
    this.halving = new SuccessiveHalving(sweep.rungs(), sweep.factor(), sweep.objective(),
        records.values().stream().map(TrialRecord::id).toList());
    for (TrialRecord r : records.values()) {
      if (!r.trial().valid()) {
        halving.skip(r.id());
      } else if (!r.rungs().isEmpty() || r.failedRung() != null) {
        halving.restore(r.id(), r.rungs().stream().map(TrialRecord.Rung::objective).toList(),
            r.failedRung() != null);
        if (r.status() == TrialRecord.Status.COMPLETED) {
          considerBest(r, null, r.objective());
        }
      }
    }
  }

  /** Test hook: stop (as a killed driver would) once this many steps have been recorded. */
  public SweepRunner interruptAfter(int steps) {
    this.interruptAfter = steps;
    return this;
  }

  /** Trials at once. */
  public int slots() {
    return slots;
  }

  /** Runs every remaining step; returns the best trial that trained the whole budget, or null. */
  public TrialRecord run() {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(slots, r -> {
      Thread t = new Thread(r, "sweep-slot-" + threads.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    CompletionService<Done> done = new ExecutorCompletionService<>(pool);
    Deque<Integer> free = new ArrayDeque<>();
    for (int s = 0; s < slots; s++) {
      free.add(s);
    }
    int running = 0;
    int steps = 0;
    try {
      while (true) {
        while (!free.isEmpty()) {
          Optional<SuccessiveHalving.Step> next = halving.next();
          if (next.isEmpty()) {
            break;
          }
          SuccessiveHalving.Step step = next.get();
          TrialRecord r = records.get(step.trial());
          // A trial restored from an interrupted session has no state in memory: it trains again from the
          // start, which (everything being seeded) reproduces the epochs it had recorded.
          int from = r.state() == null ? 0 : step.fromEpochs();
          TrainingState start = r.state();
          int slot = free.poll();
          r.started();
          done.submit(() -> new Done(step, slot, from, runSafely(r.trial(), from, step.toEpochs(), start, slot)));
          running++;
        }
        TrialLog.write(dir.resolve(SweepDirectory.TRIALS), records.values());
        if (running == 0) {
          break;
        }
        Done d = take(done);
        running--;
        free.add(d.slot());
        record(d);
        steps++;
        if (steps == interruptAfter) {
          TrialLog.write(dir.resolve(SweepDirectory.TRIALS), records.values());
          throw new Interrupted(steps);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    records.values().forEach(TrialRecord::settle);
    TrialLog.write(dir.resolve(SweepDirectory.TRIALS), records.values());
    return best;
  }

  private RungOutcome runSafely(Trial t, int from, int to, TrainingState start, int slot) {
    long t0 = System.nanoTime();
    try {
      return runner.run(t, from, to, start, slot);
    } catch (RuntimeException e) {
      if (!runner.healthy()) {
        throw e;
      }
      return RungOutcome.failed("error: " + rootMessage(e), (System.nanoTime() - t0) / 1e9);
    }
  }

  /** The innermost message, first line only (Spark puts the executor's stack trace into its messages). */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.toString() : root.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static Done take(CompletionService<Done> done) {
    try {
      return done.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("sweep step failed: " + e.getCause(), e.getCause());
    }
  }

  private void record(Done d) {
    SuccessiveHalving.Step step = d.step();
    TrialRecord r = records.get(step.trial());
    RungOutcome o = d.outcome();
    String line;
    String notes = "";
    if (o.ok() && !o.epochs().isEmpty()) {
      double objective = sweep.objective().value(o.epochs().get(o.epochs().size() - 1));
      boolean last = step.rung() == top;
      if (last) {
        considerBest(r, o.end(), objective);
      }
      r.reached(d.fromEpochs(), o, objective, last);
      halving.report(r.id(), step.rung(), objective);
      line = String.format(Locale.ROOT, "%s %.4f", sweep.objective().metric(), objective);
      notes = last ? (best == r ? "  budget reached, best so far" : "  budget reached") : "";
    } else {
      RungOutcome failed = o.ok() ? RungOutcome.failed("no epoch was trained", o.seconds()) : o;
      r.failed(d.fromEpochs(), step.rung(), failed);
      halving.fail(r.id(), step.rung());
      line = "FAILED: " + failed.failure();
    }
    if (o.attempt() > 0) {
      notes += "  (task attempt " + o.attempt() + ")";
    }
    System.out.printf(Locale.ROOT, "sweep: %s epochs %d->%d  %s  %.1f s%s  [%s]%n", r.id(), d.fromEpochs(),
        step.toEpochs(), line, o.seconds(), notes, r.trial().describe());
  }

  /**
   * Keeps {@code r}'s model when its {@code value} beats the best so far (ties go to the earlier trial).
   * {@code end} is its final state; null for a trial finished in an earlier session, whose model is on disk if
   * it was the best then.
   */
  private void considerBest(TrialRecord r, TrainingState end, double value) {
    if (!better(r, value)) {
      return;
    }
    if (end != null) {
      TrainPlan plan = runner.plan(r.trial());
      dir.saveBest(r.id(), plan.model(), model(plan, end));
      best = r;
    } else if (dir.hasBest(r.id())) {
      best = r;
    }
  }

  private boolean better(TrialRecord r, double value) {
    if (!Double.isFinite(value)) {
      return false;
    }
    if (best == null) {
      return true;
    }
    int c = sweep.objective().compare(value, best.objective());
    return c < 0 || (c == 0 && r.trial().index() < best.trial().index());
  }

  /** The model {@code plan} describes, with the weights and running statistics of {@code end}. */
  private Sequential model(TrainPlan plan, TrainingState end) {
    Sequential m = plan.model().build(plan.config().seed());
    System.arraycopy(end.weights(), 0, m.parameters(), 0, end.weights().length);
    System.arraycopy(end.state(), 0, m.state(), 0, end.state().length);
    return m;
  }

  /** Every record, in plan order. */
  public List<TrialRecord> records() {
    return List.copyOf(records.values());
  }

  /** Builds the map {@link #SweepRunner} takes: one record per planned trial. */
  public static Map<String, TrialRecord> records(List<Trial> trials) {
    Map<String, TrialRecord> m = new LinkedHashMap<>();
    for (Trial t : trials) {
      m.put(t.id(), new TrialRecord(t));
    }
    return m;
  }
}
