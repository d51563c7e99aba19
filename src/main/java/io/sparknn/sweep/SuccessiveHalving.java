package io.sparknn.sweep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) over rungs of epochs, e.g. 1, 3, 9 with factor 3:
 * every trial first trains to the lowest rung; whenever a slot is free, a trial that ranks in the best
 * {@code 1/factor} of the results reported so far at some rung, and has not gone on yet, is promoted to the
 * next rung (highest rungs first); otherwise a new trial starts. Trials never promoted stop early. No rung
 * waits for all trials to reach it, so slots never idle behind a straggler. Which trials are promoted can
 * depend on the order results arrive (as in ASHA); with one slot the order, and so the outcome, is fixed.
 *
 * <p>A trial that fails at a rung counts there as the worst result (it takes its place in the {@code 1/factor}
 * count) and is never promoted. With early stopping off there is one rung, the budget, and every trial runs it.
 * Ties rank by trial order. Not thread-safe: the sweep's driver loop owns it.
 */
public final class SuccessiveHalving {
  private final List<Integer> rungs;
  private final int factor;
  private final SweepObjective objective;
  private final Deque<String> pending;
  private final Map<String, Integer> order = new HashMap<>();
  private final List<Map<String, Double>> results = new ArrayList<>();
  private final List<Set<String>> promoted = new ArrayList<>();
  private final Set<String> busy = new HashSet<>();

  /** One unit of work: train {@code trial} from {@code fromEpochs} to {@code toEpochs}, reaching rung {@code rung}. */
  public record Step(String trial, int rung, int fromEpochs, int toEpochs) {}

  /**
   * @param rungs epochs at each rung, ascending
   * @param trials the trials to run, in the order they are started
   */
  public SuccessiveHalving(List<Integer> rungs, int factor, SweepObjective objective, List<String> trials) {
    for (int i = 0; i < rungs.size(); i++) {
      if (rungs.get(i) < 1 || (i > 0 && rungs.get(i) <= rungs.get(i - 1))) {
        throw new IllegalArgumentException("rungs must be ascending positive epochs, got " + rungs);
      }
      results.add(new LinkedHashMap<>());
      promoted.add(new HashSet<>());
    }
    this.rungs = List.copyOf(rungs);
    this.factor = factor;
    this.objective = objective;
    this.pending = new ArrayDeque<>(trials);
    for (int i = 0; i < trials.size(); i++) {
      order.put(trials.get(i), i);
    }
  }

  /**
   * Rungs for a budget: {@code minEpochs · factor^k} below the budget, then the budget; just the budget when
   * early stopping is off. (9 epochs, factor 3, from 1: 1, 3, 9.)
   */
  public static List<Integer> rungs(int budget, int factor, int minEpochs, boolean enabled) {
    List<Integer> r = new ArrayList<>();
    if (enabled) {
      for (long e = minEpochs; e < budget; e *= factor) {
        r.add((int) e);
      }
    }
    r.add(budget);
    return r;
  }

  /** The next step to run, or empty when nothing can start until a running step reports. */
  public Optional<Step> next() {
    for (int k = rungs.size() - 2; k >= 0; k--) {
      for (String t : top(k)) {
        if (!promoted.get(k).contains(t) && !busy.contains(t)) {
          promoted.get(k).add(t);
          busy.add(t);
          return Optional.of(new Step(t, k + 1, rungs.get(k), rungs.get(k + 1)));
        }
      }
    }
    String t = pending.poll();
    if (t == null) {
      return Optional.empty();
    }
    busy.add(t);
    return Optional.of(new Step(t, 0, 0, rungs.get(0)));
  }

  /** The trials in the best {@code 1/factor} of rung {@code k}'s results so far, best first, failures excluded. */
  List<String> top(int k) {
    Map<String, Double> r = results.get(k);
    int quota = r.size() / factor;
    Comparator<Map.Entry<String, Double>> best = (a, b) -> objective.compare(a.getValue(), b.getValue());
    return r.entrySet().stream()
        .sorted(best.thenComparing(e -> order.getOrDefault(e.getKey(), Integer.MAX_VALUE)))
        .limit(quota)
        .filter(e -> Double.isFinite(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** {@code trial} reached rung {@code rung} with objective {@code value} (non-finite: failed there). */
  public void report(String trial, int rung, double value) {
    results.get(rung).put(trial, value);
    busy.remove(trial);
  }

  /** {@code trial} failed on its way to rung {@code rung}. */
  public void fail(String trial, int rung) {
    report(trial, rung, Double.NaN);
  }

  /**
   * Restores a trial from an earlier, interrupted session: its objective at each rung it reached, in order,
   * and whether it then failed on the way to the next one. Its lower rungs count as promoted.
   */
  public void restore(String trial, List<Double> reached, boolean failedAfter) {
    pending.remove(trial);
    for (int k = 0; k < reached.size(); k++) {
      results.get(k).put(trial, reached.get(k));
      if (k < reached.size() - 1 || failedAfter) {
        promoted.get(k).add(trial);
      }
    }
    if (failedAfter) {
      results.get(reached.size()).put(trial, Double.NaN);
    }
  }

  /** Drops {@code trial} from the trials still to start (it can never run). */
  public void skip(String trial) {
    pending.remove(trial);
  }

  public List<Integer> rungs() {
    return rungs;
  }

  /** The rung index whose epochs are {@code epochs}, or -1. */
  public int rungOf(int epochs) {
    return rungs.indexOf(epochs);
  }
}
