package io.sparknn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One planned trial: the values drawn for it, the config keys they set on the base, and the resulting
 * training config, or why that config is unusable.
 *
 * @param index position in the plan, from 0
 * @param id {@code t000}, {@code t001}, ...
 * @param params parameter name → the value's label (a named choice shows its option's name)
 * @param config config key → value this trial sets on the base, in the order applied
 * @param overrides the same as {@code key=value} strings, as {@code --set} (and {@code jobs/train-mnist.sh}) take
 * @param train the trial's training config (null when invalid)
 * @param invalid why the trial's config cannot be used (null when it can): a bad value, named by its key
 */
public record Trial(int index, String id, LinkedHashMap<String, JsonNode> params,
    LinkedHashMap<String, JsonNode> config, List<String> overrides, TrainConfig train, String invalid) {

  public Trial {
    overrides = List.copyOf(overrides);
  }

  public boolean valid() {
    return invalid == null;
  }

  /** The resolved training config as YAML (what a task rebuilds the trial from, and what TrainJob reads). */
  public String configYaml() {
    return ConfigLoader.toYaml(train);
  }

  /** {@code lr=0.0123 activation=relu}: the params, short, for progress lines. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      String shortKey = k.substring(k.lastIndexOf('.') + 1);
      sb.append(shortKey.matches("\\d+|p|type|out") ? k : shortKey).append('=').append(label(v));
    });
    return sb.toString();
  }

  /** A value as people read it: short numbers as they are, others to 4 significant digits, strings bare. */
  static String label(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isFloatingPointNumber()) {
      String exact = Double.toString(v.doubleValue());
      return exact.length() <= 6 ? exact : String.format(java.util.Locale.ROOT, "%.4g", v.doubleValue());
    }
    return v.isTextual() ? v.textValue() : v.toString();
  }
}
