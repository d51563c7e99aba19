package io.sparknn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sparknn.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One dimension of a search space, as a sweep file writes it under {@code search.params}:
 * <pre>
 *   optimizer.lr:       {loguniform: [0.003, 0.3]}   # log-uniform between the bounds
 *   optimizer.momentum: {uniform: [0.5, 0.95]}
 *   model.0.out:        {int: [64, 256]}             # an integer, bounds included
 *   batch_size:         {choice: [32, 64, 128]}      # or just [32, 64, 128]; in a grid also {grid: [...]}
 *   activation:                                      # a named choice: each option sets several keys at once
 *     choice:
 *       relu: {model.1.type: ReLU, model.3.type: ReLU}
 *       tanh: {model.1.type: Tanh, model.3.type: Tanh}
 * </pre>
 * A parameter's name is the dotted config key it sets ({@code --set} syntax: a number indexes a list), except
 * for a named choice, whose name is only a label. A value drawn is a {@link Value}: the label shown in
 * reports and the config keys it sets.
 */
public sealed interface Param permits Param.Uniform, Param.LogUniform, Param.IntRange, Param.Choice {
  /** The keywords a parameter may use. */
  List<String> KEYWORDS = List.of("uniform", "loguniform", "int", "choice", "grid");

  String name();

  /** A value drawn from {@code rng}. */
  Value sample(SplittableRandom rng);

  /** Every value, in order, for a grid search. */
  List<Value> grid();

  /** Whether values are numbers (otherwise reports treat them as categories). */
  boolean numeric();

  /** Whether values spread over orders of magnitude (reports use a log axis). */
  default boolean logScale() {
    return false;
  }

  /**
   * One drawn value.
   *
   * @param label what reports show: the number or option, or a named option's name
   * @param assignments config key → value this value sets, in order
   */
  record Value(JsonNode label, LinkedHashMap<String, JsonNode> assignments) {}

  /** Uniform in [low, high). */
  record Uniform(String name, double low, double high) implements Param {
    @Override
    public Value sample(SplittableRandom rng) {
      return single(name, DoubleNode.valueOf(low + (high - low) * rng.nextDouble()));
    }

    @Override
    public List<Value> grid() {
      throw gridError(name, "uniform");
    }

    @Override
    public boolean numeric() {
      return true;
    }
  }

  /** Log-uniform in [low, high), both > 0: the logarithm is uniform. */
  record LogUniform(String name, double low, double high) implements Param {
    @Override
    public Value sample(SplittableRandom rng) {
      double log = Math.log(low) + (Math.log(high) - Math.log(low)) * rng.nextDouble();
      return single(name, DoubleNode.valueOf(Math.min(high, Math.max(low, Math.exp(log)))));
    }

    @Override
    public List<Value> grid() {
      throw gridError(name, "loguniform");
    }

    @Override
    public boolean numeric() {
      return true;
    }

    @Override
    public boolean logScale() {
      return true;
    }
  }

  /** An integer in [low, high], both included; in a grid, every one of them. */
  record IntRange(String name, long low, long high) implements Param {
    static final int MAX_GRID = 1000;

    @Override
    public Value sample(SplittableRandom rng) {
      return single(name, LongNode.valueOf(rng.nextLong(low, high + 1)));
    }

    @Override
    public List<Value> grid() {
      if (high - low >= MAX_GRID) {
        throw new ConfigException("key 'search.params." + name + "': a grid over int [" + low + ", " + high
            + "] would have more than " + MAX_GRID + " values; list the values with choice");
      }
      List<Value> all = new ArrayList<>();
      for (long v = low; v <= high; v++) {
        all.add(single(name, LongNode.valueOf(v)));
      }
      return all;
    }

    @Override
    public boolean numeric() {
      return true;
    }
  }

  /** One of a list of values, each equally likely; in a grid, every one of them. */
  record Choice(String name, List<Value> options, boolean named) implements Param {
    public Choice {
      options = List.copyOf(options);
    }

    @Override
    public Value sample(SplittableRandom rng) {
      return options.get(rng.nextInt(options.size()));
    }

    @Override
    public List<Value> grid() {
      return options;
    }

    @Override
    public boolean numeric() {
      return options.stream().allMatch(v -> v.label().isNumber());
    }
  }

  /**
   * Reads parameter {@code name} from its node in the sweep file. In a grid search only {@code choice},
   * {@code grid} and {@code int} make sense; in a random search {@code grid} does not.
   */
  static Param parse(String name, JsonNode node, boolean gridSearch, String source) {
    String key = source + ": key 'search.params." + name + "'";
    if (name == null || name.isBlank()) {
      throw new ConfigException(source + ": key 'search.params' has a parameter with an empty name");
    }
    if (node != null && node.isArray()) {
      return choice(name, node, key);
    }
    if (node == null || !node.isObject() || node.size() != 1) {
      throw new ConfigException(key + ": expected a list of values or a mapping with exactly one of "
          + KEYWORDS + ", e.g. {loguniform: [0.001, 0.1]}; found " + describe(node));
    }
    String keyword = node.fieldNames().next();
    JsonNode arg = node.get(keyword);
    return switch (keyword) {
      case "uniform", "loguniform" -> {
        if (gridSearch) {
          throw new ConfigException(key + ": a grid search cannot enumerate '" + keyword
              + "'; list the values with choice (or use search.type: random)");
        }
        double[] b = bounds(arg, key + "." + keyword, false);
        if (keyword.equals("uniform")) {
          yield new Uniform(name, b[0], b[1]);
        }
        if (!(b[0] > 0)) {
          throw new ConfigException(key + ".loguniform: bounds must be > 0, got [" + b[0] + ", " + b[1] + "]");
        }
        yield new LogUniform(name, b[0], b[1]);
      }
      case "int" -> {
        double[] b = bounds(arg, key + ".int", true);
        yield new IntRange(name, (long) b[0], (long) b[1]);
      }
      case "choice" -> choice(name, arg, key + ".choice");
      case "grid" -> {
        if (!gridSearch) {
          throw new ConfigException(key + ": 'grid' lists belong to a grid search (search.type: grid); "
              + "in a random search use choice");
        }
        yield choice(name, arg, key + ".grid");
      }
      default -> throw new ConfigException(key + ": unknown distribution '" + keyword + "'; expected one of "
          + KEYWORDS);
    };
  }

  private static Param choice(String name, JsonNode arg, String key) {
    List<Value> options = new ArrayList<>();
    if (arg != null && arg.isArray() && !arg.isEmpty()) {
      for (JsonNode v : arg) {
        options.add(single(name, v));
      }
      return new Choice(name, options, false);
    }
    if (arg != null && arg.isObject() && !arg.isEmpty()) {
      // A named choice: option name -> {config.key: value, ...}.
      for (Map.Entry<String, JsonNode> option : arg.properties()) {
        JsonNode sets = option.getValue();
        if (sets == null || !sets.isObject() || sets.isEmpty()) {
          throw new ConfigException(key + "." + option.getKey() + ": a named option must be a mapping of config "
              + "keys to values, e.g. {model.1.type: ReLU}; found " + describe(sets));
        }
        LinkedHashMap<String, JsonNode> assignments = new LinkedHashMap<>();
        sets.properties().forEach(e -> assignments.put(e.getKey(), e.getValue()));
        options.add(new Value(TextNode.valueOf(option.getKey()), assignments));
      }
      return new Choice(name, options, true);
    }
    throw new ConfigException(key + ": expected a non-empty list of values, or a mapping of named options; found "
        + describe(arg));
  }

  private static double[] bounds(JsonNode arg, String key, boolean integers) {
    if (arg == null || !arg.isArray() || arg.size() != 2 || !arg.get(0).isNumber() || !arg.get(1).isNumber()
        || (integers && !(arg.get(0).isIntegralNumber() && arg.get(1).isIntegralNumber()))) {
      throw new ConfigException(key + ": expected [low, high], two " + (integers ? "integers" : "numbers")
          + "; found " + describe(arg));
    }
    double low = arg.get(0).asDouble();
    double high = arg.get(1).asDouble();
    if (!Double.isFinite(low) || !Double.isFinite(high) || (integers ? low > high : low >= high)) {
      throw new ConfigException(key + ": expected low " + (integers ? "<=" : "<") + " high, got [" + arg.get(0)
          + ", " + arg.get(1) + "]");
    }
    return new double[] {low, high};
  }

  private static Value single(String name, JsonNode v) {
    LinkedHashMap<String, JsonNode> a = new LinkedHashMap<>();
    a.put(name, v);
    return new Value(v, a);
  }

  private static ConfigException gridError(String name, String keyword) {
    return new ConfigException("key 'search.params." + name + "': a grid search cannot enumerate '" + keyword
        + "'; list the values with choice (or use search.type: random)");
  }

  private static String describe(JsonNode n) {
    return n == null || n.isNull() ? "nothing" : n.toString();
  }
}
