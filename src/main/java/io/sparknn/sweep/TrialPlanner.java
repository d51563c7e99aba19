package io.sparknn.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a sweep into its trials: for each drawn combination, the values are applied to a copy of the base
 * config tree with {@link ConfigLoader#set} (the {@code --set} rules: dotted keys, a number indexes a list),
 * and the result is bound and validated by {@link TrainPlan#of} exactly as {@code TrainJob} validates a config.
 *
 * <p>Two kinds of error are told apart. A parameter naming a key the training config does not have (or a list
 * index it does not have) is a mistake in the sweep file: the whole sweep is refused, naming the parameter. A
 * value the config does not accept (a negative learning rate, a dropout {@code p} of 1.5) spoils only the trials
 * that drew it: they are planned as invalid, with the reason, and recorded as failed while the rest run.
 */
public final class TrialPlanner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrialPlanner() {}

  /** Every trial of {@code sweep}, in order. */
  public static List<Trial> plan(Sweep sweep) {
    List<LinkedHashMap<String, Param.Value>> draws = sweep.space().draw(sweep.seed());
    int width = Math.max(3, Integer.toString(draws.size() - 1).length());
    List<Trial> trials = new ArrayList<>(draws.size());
    for (int i = 0; i < draws.size(); i++) {
      trials.add(trial(sweep, i, String.format("t%0" + width + "d", i), draws.get(i)));
    }
    return trials;
  }

  private static Trial trial(Sweep sweep, int index, String id, Map<String, Param.Value> draw) {
    ObjectNode tree = sweep.base().deepCopy();
    LinkedHashMap<String, JsonNode> params = new LinkedHashMap<>();
    LinkedHashMap<String, JsonNode> config = new LinkedHashMap<>();
    List<String> overrides = new ArrayList<>();
    for (Map.Entry<String, Param.Value> p : draw.entrySet()) {
      params.put(p.getKey(), p.getValue().label());
      for (Map.Entry<String, JsonNode> a : p.getValue().assignments().entrySet()) {
        String key = a.getKey();
        if (key.equals("epochs")) {
          throw new ConfigException(sweep.source() + ": key 'search.params." + p.getKey() + "' sets 'epochs', "
              + "which the sweep decides (budget.epochs and the early-stopping rungs)");
        }
        String assignment = assignment(key, a.getValue());
        try {
          ConfigLoader.set(tree, assignment);
        } catch (ConfigException e) {
          throw new ConfigException(sweep.source() + ": key 'search.params." + p.getKey() + "': " + e.getMessage(),
              e);
        }
        overrides.add(assignment);
        config.remove(key);
        config.put(key, a.getValue());
      }
    }
    try {
      TrainConfig c = ConfigLoader.bind(tree, TrainConfig.class, "trial " + id);
      TrainPlan.of(c, TrainPlan.IMAGE_SIDE * TrainPlan.IMAGE_SIDE, "trial " + id);
      if (sweep.objective().needsValidation() && c.data().validation() == 0) {
        throw new ConfigException("trial " + id + ": key 'data.validation' is 0, but the objective "
            + sweep.objective().metric() + " needs validation rows");
      }
      return new Trial(index, id, params, config, overrides, c, null);
    } catch (ConfigException e) {
      if (e.getCause() instanceof UnrecognizedPropertyException u) {
        String path = path(u);
        String param = draw.entrySet().stream()
            .filter(p -> p.getValue().assignments().keySet().stream()
                .anyMatch(k -> path.equals(k) || path.startsWith(k + ".")))
            .map(Map.Entry::getKey).findFirst().orElse(null);
        throw new ConfigException(sweep.source() + ": key 'search.params" + (param == null ? "" : "." + param)
            + "' sets a key the training config does not have: " + e.getMessage(), e);
      }
      return new Trial(index, id, params, config, overrides, null, e.getMessage());
    }
  }

  /** {@code key=value} with the value written so that {@link ConfigLoader#set} reads back exactly {@code value}. */
  static String assignment(String key, JsonNode value) {
    return key + "=" + valueText(value);
  }

  /** A value as {@code --set} text: strings bare where that reads back as the same string, anything else JSON. */
  static String valueText(JsonNode value) {
    if (value.isTextual()) {
      String s = value.textValue();
      try {
        if (value.equals(ConfigLoader.mapper().readTree(s))) {
          return s;
        }
      } catch (JsonProcessingException e) {
        // Not readable bare (e.g. it starts with a YAML indicator): quote it below.
      }
    }
    try {
      // JSON is YAML, and Jackson writes doubles in their shortest round-trip form.
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() > 0 ? "." : "").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('.').append(r.getIndex());
      }
    }
    return sb.toString();
  }
}
