package io.sparknn.train.spark;

import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.train.Target;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-executor-JVM cache of {@link Replica}s, keyed by training run, so that tasks reuse a built model and its
 * buffers instead of rebuilding them every iteration. A task borrows a replica and returns it, so concurrent
 * tasks (two partitions, or a speculative copy) never share one. Only the most recent runs are kept, which
 * bounds executor memory however many runs (a sweep, say) pass through.
 */
final class ReplicaPool {
  private static final int MAX_RUNS = 16;
  private static final Map<String, ArrayDeque<Replica>> POOLS = new LinkedHashMap<>(16, 0.75f, true);

  private ReplicaPool() {}

  static Replica borrow(String runId, ModelSpec spec, CriterionSpec criterion, Target target) {
    synchronized (POOLS) {
      ArrayDeque<Replica> pool = POOLS.get(runId);
      if (pool != null && !pool.isEmpty()) {
        return pool.pop();
      }
    }
    return new Replica(spec, criterion, target);
  }

  static void giveBack(String runId, Replica replica) {
    synchronized (POOLS) {
      POOLS.computeIfAbsent(runId, k -> new ArrayDeque<>()).push(replica);
      Iterator<String> oldest = POOLS.keySet().iterator();
      while (POOLS.size() > MAX_RUNS && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
      }
    }
  }
}
