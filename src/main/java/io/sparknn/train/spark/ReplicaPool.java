package io.sparknn.train.spark;

import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.train.Target;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-executor-JVM cache of {@link Replica}s, so that tasks reuse a built model and its buffers instead of
 * rebuilding them every iteration. Replicas are keyed by training run <em>and</em> by what they were built from
 * (model spec, criterion, target), so a replica is only ever reused for the model it holds. A task borrows a
 * replica and returns it, so concurrent tasks (two partitions, or a speculative copy) never share one.
 *
 * <p>A run's replicas are released when the run ends ({@link ReplicaRelease}: the trainer runs a small job over
 * the run's data after training and after a stand-alone evaluation). That job reaches the executors holding the
 * data's cached partitions, where the run's tasks ran; a replica left on another executor (a task that ran away
 * from its data) is dropped once sixteen newer runs have been pooled there.
 */
final class ReplicaPool {
  private static final int MAX_RUNS = 16;
  private static final Map<Key, ArrayDeque<Replica>> POOLS = new LinkedHashMap<>(16, 0.75f, true);

  /** What a pooled replica serves: one run's model, built from this spec, criterion and target. */
  private record Key(String runId, ModelSpec spec, CriterionSpec criterion, Target target) {}

  private ReplicaPool() {}

  static Replica borrow(String runId, ModelSpec spec, CriterionSpec criterion, Target target) {
    synchronized (POOLS) {
      ArrayDeque<Replica> pool = POOLS.get(new Key(runId, spec, criterion, target));
      if (pool != null && !pool.isEmpty()) {
        return pool.pop();
      }
    }
    return new Replica(spec, criterion, target);
  }

  static void giveBack(String runId, ModelSpec spec, CriterionSpec criterion, Target target, Replica replica) {
    synchronized (POOLS) {
      POOLS.computeIfAbsent(new Key(runId, spec, criterion, target), k -> new ArrayDeque<>()).push(replica);
      Iterator<Key> oldest = POOLS.keySet().iterator();
      while (POOLS.size() > MAX_RUNS && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
      }
    }
  }

  /** Drops every replica of run {@code runId} held in this JVM. */
  static void release(String runId) {
    synchronized (POOLS) {
      POOLS.keySet().removeIf(k -> k.runId().equals(runId));
    }
  }

  /** Replicas of run {@code runId} pooled in this JVM now (for tests). */
  static int held(String runId) {
    synchronized (POOLS) {
      return POOLS.entrySet().stream().filter(e -> e.getKey().runId().equals(runId))
          .mapToInt(e -> e.getValue().size()).sum();
    }
  }
}
