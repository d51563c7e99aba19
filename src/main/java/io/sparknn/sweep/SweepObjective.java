package io.sparknn.sweep;

import io.sparknn.config.ConfigException;
import java.util.List;
import java.util.Locale;

/**
 * What a sweep optimises: one per-epoch metric and its direction. A trial's objective at a rung is the metric
 * after the rung's last epoch. A missing or non-finite value (a diverged trial) ranks below every real value.
 *
 * @param metric one of {@link #METRICS}
 * @param maximize larger is better
 */
public record SweepObjective(String metric, boolean maximize) {
  public static final List<String> METRICS = List.of("val_accuracy", "val_loss", "train_loss");

  /** Reads {@code metric} and {@code goal} (null: maximise an accuracy, minimise a loss). */
  public static SweepObjective of(String metric, String goal, String source) {
    String m = metric == null ? "val_accuracy" : metric.toLowerCase(Locale.ROOT);
    if (!METRICS.contains(m)) {
      throw new ConfigException(source + ": key 'objective.metric' is '" + metric + "'; expected one of " + METRICS);
    }
    boolean max;
    if (goal == null) {
      max = m.endsWith("accuracy");
    } else {
      max = switch (goal.toLowerCase(Locale.ROOT)) {
        case "maximize", "maximise", "max" -> true;
        case "minimize", "minimise", "min" -> false;
        default -> throw new ConfigException(source + ": key 'objective.goal' is '" + goal
            + "'; expected one of [maximize, minimize]");
      };
    }
    return new SweepObjective(m, max);
  }

  /** Whether the metric is measured on the validation set. */
  public boolean needsValidation() {
    return metric.startsWith("val_");
  }

  /** The metric of one epoch. */
  public double value(EpochResult e) {
    return switch (metric) {
      case "val_accuracy" -> e.valAccuracy();
      case "val_loss" -> e.valLoss();
      case "train_loss" -> e.trainLoss();
      default -> throw new IllegalStateException(metric);
    };
  }

  /** Negative when {@code a} is better than {@code b}: sorting with it puts the best first, non-finite last. */
  public int compare(double a, double b) {
    boolean fa = Double.isFinite(a);
    boolean fb = Double.isFinite(b);
    if (!fa || !fb) {
      return fa == fb ? 0 : fa ? -1 : 1;
    }
    return maximize ? Double.compare(b, a) : Double.compare(a, b);
  }

  /** {@code maximize val_accuracy}. */
  public String describe() {
    return (maximize ? "maximize " : "minimize ") + metric;
  }
}
