package io.sparknn.nn;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * One option a {@link LayerType} takes: its name, the kind of value (an integer, a number or a string) and its
 * default. It turns what a config or a model file holds into that kind, refusing anything else with a message
 * naming the layer, the option and what was expected, and reads the option (or its default) from a spec.
 * Range checks stay with the layer, which knows what makes sense.
 *
 * @param name the key in a config ({@code out}, {@code slope})
 * @param kind {@code Integer}, {@code Double} or {@code String}
 * @param defaultValue what {@link #of} gives when the spec leaves the option out ({@code null}: no default)
 * @param <T> the kind
 */
public record LayerOption<T>(String name, Class<T> kind, T defaultValue) {
  /** The input width, which a layer may leave to the previous layer (see {@link LayerType#inputWidth}). */
  public static final LayerOption<Integer> IN = integer("in");

  public LayerOption {
    if (kind != Integer.class && kind != Double.class && kind != String.class) {
      throw new IllegalArgumentException("option '" + name + "': an option is an Integer, a Double or a String");
    }
  }

  /** An integer option without a default. */
  public static LayerOption<Integer> integer(String name) {
    return new LayerOption<>(name, Integer.class, null);
  }

  /** A number option. */
  public static LayerOption<Double> number(String name, Double defaultValue) {
    return new LayerOption<>(name, Double.class, defaultValue);
  }

  /** A string option. */
  public static LayerOption<String> text(String name, String defaultValue) {
    return new LayerOption<>(name, String.class, defaultValue);
  }

  /** The option's value in {@code spec}, or the default when it is left out. */
  public T of(LayerSpec spec) {
    Object v = spec.options().get(name);
    return v == null ? defaultValue : convert(spec.type(), v);
  }

  /**
   * {@code value} as this option's kind. Like the typed config records before, a string holding a number is
   * read as the number, and a float is never silently truncated to an integer.
   *
   * @throws IllegalArgumentException naming {@code layer}, the option and the expected kind
   */
  public T convert(String layer, Object value) {
    Object v = value;
    if (kind == String.class && (v instanceof Number || v instanceof Boolean)) {
      v = v.toString();
    } else if (kind != String.class && v instanceof String s) {
      v = parse(s.strip());
    }
    if (kind == Integer.class && isIntegral(v) && ((Number) v).longValue() == ((Number) v).intValue()) {
      v = ((Number) v).intValue();
    } else if (kind == Double.class && v instanceof Number n) {
      v = n.doubleValue();
    }
    if (!kind.isInstance(v)) {
      throw new IllegalArgumentException(layer + " option '" + name + "' must be " + expected() + ", got "
          + (value instanceof String ? "'" + value + "'" : value));
    }
    return kind.cast(v);
  }

  /** What the option holds, for messages: "an integer", "a number" or "a string". */
  public String expected() {
    return kind == Integer.class ? "an integer" : kind == Double.class ? "a number" : "a string";
  }

  private static boolean isIntegral(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger b && b.bitLength() < 32;
  }

  private static Object parse(String s) {
    try {
      return Long.valueOf(s);
    } catch (NumberFormatException notAnInteger) {
      try {
        return new BigDecimal(s).doubleValue();
      } catch (NumberFormatException notANumber) {
        return s;
      }
    }
  }
}
