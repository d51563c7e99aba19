package io.sparknn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A validated sweep: the base training config with the fixed overrides applied, the search space, the
 * objective, the budget and its successive-halving rungs, the mode and where results go. Everything that can
 * be wrong with a sweep file is found here or by {@link TrialPlanner}, before Spark starts; each error is a
 * {@link ConfigException} naming the file and the key.
 *
 * @param name the sweep's name
 * @param source the sweep file, for messages
 * @param base the training config every trial starts from (fixed overrides applied, {@code epochs} = budget)
 * @param space the search space
 * @param seed seed of the random draws
 * @param objective what is optimised
 * @param budget most epochs per trial
 * @param earlyStopping whether successive halving stops trials early
 * @param factor successive halving's reduction factor
 * @param rungs epochs at each rung, ascending, the last one the budget (one rung when early stopping is off)
 * @param mode how trials run on Spark
 * @param parallelism trials at once (0: automatic)
 * @param dir the sweep directory
 * @param charts write charts
 * @param resolved the sweep file with everything resolved (base inline): what {@code sweep.yaml} holds
 * @param baseFile the base config's file, or null when the base is inline
 * @param fixed the fixed overrides ({@code set}) as {@code key=value}, in order
 */
public record Sweep(String name, String source, ObjectNode base, SearchSpace space, long seed,
    SweepObjective objective, int budget, boolean earlyStopping, int factor, List<Integer> rungs, Mode mode,
    int parallelism, Path dir, boolean charts, ObjectNode resolved, String baseFile, List<String> fixed) {

  /** How trials run. */
  public enum Mode {
    /** Each trial trains in one Spark task with {@code LocalTrainer}, on a broadcast copy of the data. */
    TASK,
    /** Each trial is a full {@code SparkTrainer} run over the shared cached, partitioned data. */
    DISTRIBUTED
  }

  /** Keys of {@code sweep.yaml} that may change between an interrupted run and its resumption. */
  static final List<String> NOT_IDENTITY = List.of("name", "mode", "parallelism", "output");

  public Sweep {
    rungs = List.copyOf(rungs);
    fixed = List.copyOf(fixed);
  }

  /** Reads {@code file} (YAML or JSON) and applies {@code overrides} ({@code key=value}) to it first. */
  public static Sweep load(Path file, List<String> overrides) {
    ObjectNode tree = ConfigLoader.readTree(file);
    for (String s : overrides) {
      ConfigLoader.set(tree, s);
    }
    return of(tree, file.toString());
  }

  /** Validates and resolves a sweep tree; {@code source} names it in messages. */
  public static Sweep of(ObjectNode tree, String source) {
    SweepSpec spec = ConfigLoader.bind(tree, SweepSpec.class, source);
    String name = spec.name() == null ? "sweep" : spec.name();
    ObjectNode base = base(spec, source);
    TrainConfig baseConfig = ConfigLoader.bind(base, TrainConfig.class, source + " (base)");
    TrainPlan.of(baseConfig, TrainPlan.IMAGE_SIDE * TrainPlan.IMAGE_SIDE, source + " (base)");

    SweepSpec.Search search = spec.search();
    if (search == null || search.params() == null || search.params().isEmpty()) {
      throw new ConfigException(source + ": key 'search.params' is required: the parameters to sweep, e.g. "
          + "{optimizer.lr: {loguniform: [0.001, 0.1]}}");
    }
    String type = search.type() == null ? "random" : search.type().toLowerCase(Locale.ROOT);
    if (!type.equals("random") && !type.equals("grid")) {
      throw new ConfigException(source + ": key 'search.type' is '" + search.type()
          + "'; expected one of [random, grid]");
    }
    boolean grid = type.equals("grid");
    List<Param> params = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : search.params().entrySet()) {
      params.add(Param.parse(e.getKey(), e.getValue(), grid, source));
    }
    SearchSpace space;
    try {
      if (grid) {
        if (search.trials() != null) {
          throw new ConfigException("key 'search.trials': a grid search runs every combination; remove it");
        }
        space = SearchSpace.grid(params);
      } else {
        if (search.trials() == null) {
          throw new ConfigException("key 'search.trials' is required for a random search");
        }
        space = SearchSpace.random(params, search.trials());
      }
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }

    SweepObjective objective = spec.objective() == null ? SweepObjective.of(null, null, source)
        : SweepObjective.of(spec.objective().metric(), spec.objective().goal(), source);
    if (objective.needsValidation() && baseConfig.data().validation() == 0) {
      throw new ConfigException(source + ": key 'objective.metric' is " + objective.metric()
          + " but the base config holds out no validation rows (data.validation: 0)");
    }
    int budget = spec.budget() == null || spec.budget().epochs() == null ? baseConfig.epochs()
        : spec.budget().epochs();
    if (budget < 1) {
      throw new ConfigException(source + ": key 'budget.epochs' is " + budget + "; expected an integer >= 1");
    }
    SweepSpec.EarlyStopping es = spec.earlyStopping();
    boolean enabled = es == null || es.enabled() == null || es.enabled();
    int factor = es == null || es.factor() == null ? 3 : es.factor();
    int minEpochs = es == null || es.minEpochs() == null ? 1 : es.minEpochs();
    if (factor < 2) {
      throw new ConfigException(source + ": key 'early_stopping.factor' is " + factor + "; expected an integer >= 2");
    }
    if (minEpochs < 1 || minEpochs > budget) {
      throw new ConfigException(source + ": key 'early_stopping.min_epochs' is " + minEpochs
          + "; expected 1 to the budget (" + budget + ")");
    }
    List<Integer> rungs = SuccessiveHalving.rungs(budget, factor, minEpochs, enabled);
    base.put("epochs", budget);

    Mode mode;
    String m = spec.mode() == null ? "task" : spec.mode().toLowerCase(Locale.ROOT);
    switch (m) {
      case "task" -> mode = Mode.TASK;
      case "distributed" -> mode = Mode.DISTRIBUTED;
      default -> throw new ConfigException(source + ": key 'mode' is '" + spec.mode()
          + "'; expected one of [task, distributed]");
    }
    int parallelism = spec.parallelism() == null ? 0 : spec.parallelism();
    if (parallelism < 0) {
      throw new ConfigException(source + ": key 'parallelism' is " + parallelism
          + "; expected an integer >= 0 (0: automatic)");
    }
    long seed = spec.seed() == null ? 0 : spec.seed();
    String dir = spec.output() == null || spec.output().dir() == null
        ? "runs/sweeps/" + name.replaceAll("[^A-Za-z0-9._-]", "_") : spec.output().dir();
    boolean charts = spec.output() == null || spec.output().charts() == null || spec.output().charts();

    ObjectNode resolved = tree.deepCopy();
    resolved.put("name", name);
    resolved.set("base", base.deepCopy());
    resolved.remove("set");
    resolved.put("seed", seed);
    ObjectNode o = resolved.putObject("objective");
    o.put("metric", objective.metric());
    o.put("goal", objective.maximize() ? "maximize" : "minimize");
    resolved.putObject("budget").put("epochs", budget);
    resolved.putObject("early_stopping").put("enabled", enabled).put("factor", factor).put("min_epochs", minEpochs);
    resolved.put("mode", m);
    resolved.put("parallelism", parallelism);
    resolved.putObject("output").put("dir", dir).put("charts", charts);
    List<String> fixed = new ArrayList<>();
    if (spec.set() != null) {
      spec.set().forEach((k, v) -> fixed.add(TrialPlanner.assignment(k, v)));
    }
    String baseFile = spec.base().isTextual() ? spec.base().textValue() : null;
    return new Sweep(name, source, base, space, seed, objective, budget, enabled, factor, rungs, mode, parallelism,
        Path.of(dir), charts, resolved, baseFile, fixed);
  }

  /** The base config tree: read from a file or given inline, the fixed overrides applied. */
  private static ObjectNode base(SweepSpec spec, String source) {
    JsonNode b = spec.base();
    ObjectNode base;
    if (b == null || b.isNull()) {
      throw new ConfigException(source + ": key 'base' is required: a training config file "
          + "(e.g. conf/mnist-mlp.yaml) or an inline training config");
    } else if (b.isTextual()) {
      // Relative to the sweep file, as an include is: the same file whatever directory the job starts in.
      Path dir = Path.of(source).toAbsolutePath().getParent();
      try {
        base = ConfigLoader.readTree(dir.resolve(b.textValue()));
      } catch (ConfigException e) {
        throw new ConfigException(source + ": key 'base' (read relative to the sweep file's directory): "
            + e.getMessage(), e);
      }
    } else if (b.isObject()) {
      base = ((ObjectNode) b).deepCopy();
    } else {
      throw new ConfigException(source + ": key 'base' must be a file path or a mapping, found " + b);
    }
    if (spec.set() != null) {
      for (Map.Entry<String, JsonNode> e : spec.set().entrySet()) {
        try {
          ConfigLoader.set(base, TrialPlanner.assignment(e.getKey(), e.getValue()));
        } catch (ConfigException ex) {
          throw new ConfigException(source + ": key 'set." + e.getKey() + "': " + ex.getMessage(), ex);
        }
      }
    }
    return base;
  }

  /** The first top-level key where two resolved sweeps differ in what decides the trials, or null. */
  static String firstDifference(ObjectNode a, ObjectNode b) {
    for (Iterator<String> it = a.fieldNames(); it.hasNext();) {
      String k = it.next();
      if (!NOT_IDENTITY.contains(k) && !Objects.equals(canonical(a.get(k)), canonical(b.get(k)))) {
        return k;
      }
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext();) {
      String k = it.next();
      if (!NOT_IDENTITY.contains(k) && !a.has(k)) {
        return k;
      }
    }
    return null;
  }

  private static String canonical(JsonNode n) {
    if (n == null) {
      return null;
    }
    try {
      ObjectMapper yaml = ConfigLoader.mapper();
      return new ObjectMapper().writeValueAsString(yaml.readTree(yaml.writeValueAsString(n)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
