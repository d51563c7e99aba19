package io.sparknn.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Round-numbered axis ticks (steps of 1, 2 or 5 times a power of ten) for the hand-drawn plots. */
final class Ticks {
  private Ticks() {}

  /** About {@code target} tick values inside {@code [lo, hi]}; {@code hi > lo}, both finite. */
  static double[] between(double lo, double hi, int target) {
    double step = niceStep((hi - lo) / Math.max(1, target));
    List<Double> ticks = new ArrayList<>();
    // Counting in steps from an integer start avoids the drift of repeatedly adding a decimal step.
    long first = (long) Math.ceil(lo / step - 1e-9);
    for (long k = first; k * step <= hi + step * 1e-9; k++) {
      ticks.add(k * step);
    }
    return ticks.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code value} with just enough decimals to tell ticks {@code step} apart. */
  static String label(double value, double step) {
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
    return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
  }

  static double niceStep(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / power;
    double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
    return nice * power;
  }
}
