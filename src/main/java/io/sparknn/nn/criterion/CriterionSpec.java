package io.sparknn.nn.criterion;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A criterion named in a config ({@code MSE}, {@code ClassNLL}, {@code LogClassNLL}) and the factory for it;
 * serializable, so Spark executors build their own instances.
 */
public record CriterionSpec(String type) implements Serializable {
  public static final List<String> TYPES = List.of("ClassNLL", "LogClassNLL", "MSE");

  public CriterionSpec {
    type = canonical(type);
  }

  private static String canonical(String type) {
    if (type != null) {
      String t = type.toLowerCase(Locale.ROOT).replace("criterion", "");
      for (String known : TYPES) {
        if (known.toLowerCase(Locale.ROOT).equals(t)) {
          return known;
        }
      }
    }
    throw new IllegalArgumentException("unknown criterion '" + type + "'; expected one of " + TYPES);
  }

  public Criterion build() {
    return switch (type) {
      case "ClassNLL" -> new ClassNLLCriterion();
      case "LogClassNLL" -> new LogClassNLLCriterion();
      case "MSE" -> new MSECriterion();
      default -> throw new IllegalStateException(type);
    };
  }
}
