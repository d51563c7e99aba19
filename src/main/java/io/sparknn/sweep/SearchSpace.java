package io.sparknn.sweep;

import io.sparknn.config.ConfigException;
import io.sparknn.tensor.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The parameters of a sweep and how trials are drawn from them: a {@code grid} is every combination (the last
 * parameter varying fastest, as nested loops in the order written); a {@code random} search draws
 * {@code trials} combinations. Draws are seeded per (sweep seed, trial, parameter name), so trial {@code i} is
 * the same whatever the number of trials, and adding a parameter leaves the others' draws unchanged.
 *
 * @param grid grid search (else random)
 * @param trials number of random trials (for a grid: the number of combinations)
 * @param params the parameters, in the order written
 */
public record SearchSpace(boolean grid, int trials, List<Param> params) {
  /** Most trials a sweep may plan. */
  public static final int MAX_TRIALS = 100_000;

  public SearchSpace {
    params = List.copyOf(params);
    if (params.isEmpty()) {
      throw new ConfigException("key 'search.params': a sweep needs at least one parameter");
    }
  }

  /** A grid over {@code params}: its size is the product of the parameters' numbers of values. */
  public static SearchSpace grid(List<Param> params) {
    long n = 1;
    for (Param p : params) {
      n *= p.grid().size();
      if (n > MAX_TRIALS) {
        throw new ConfigException("key 'search.params': the grid has more than " + MAX_TRIALS + " combinations");
      }
    }
    return new SearchSpace(true, (int) n, params);
  }

  /** {@code trials} random draws over {@code params}. */
  public static SearchSpace random(List<Param> params, int trials) {
    if (trials < 1 || trials > MAX_TRIALS) {
      throw new ConfigException("key 'search.trials' is " + trials + "; expected 1 to " + MAX_TRIALS);
    }
    return new SearchSpace(false, trials, params);
  }

  /** Every trial's values, parameter name → value, in trial order. */
  public List<LinkedHashMap<String, Param.Value>> draw(long seed) {
    List<LinkedHashMap<String, Param.Value>> all = new ArrayList<>(trials);
    if (grid) {
      List<List<Param.Value>> values = params.stream().map(Param::grid).toList();
      int[] digit = new int[params.size()];
      for (int t = 0; t < trials; t++) {
        LinkedHashMap<String, Param.Value> trial = new LinkedHashMap<>();
        for (int j = 0; j < params.size(); j++) {
          trial.put(params.get(j).name(), values.get(j).get(digit[j]));
        }
        all.add(trial);
        for (int j = params.size() - 1; j >= 0; j--) {
          if (++digit[j] < values.get(j).size()) {
            break;
          }
          digit[j] = 0;
        }
      }
    } else {
      for (int t = 0; t < trials; t++) {
        LinkedHashMap<String, Param.Value> trial = new LinkedHashMap<>();
        for (int j = 0; j < params.size(); j++) {
          Param p = params.get(j);
          trial.put(p.name(), p.sample(new SplittableRandom(Seeds.mix(seed, t, p.name().hashCode()))));
        }
        all.add(trial);
      }
    }
    return all;
  }

  /** The parameter called {@code name}. */
  public Param param(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no parameter '" + name + "'"));
  }
}
