package io.sparknn.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The description of one layer as a config or a model file states it ({@code {type: Linear, out: 196}}): a
 * type name and its options, in order. What the options mean, and how a spec becomes a {@link Module}, is the
 * business of the {@link LayerType} of that name ({@link LayerTypes}). When the type is registered, a spec
 * holds only that type's options, each converted to its kind and in the type's order (so a spec written out
 * reads as it always did); an unknown type's spec is kept as given and refused when built or counted, where
 * the message lists the registered types. A spec is plain data, so Spark ships it to executors, which build
 * their own layers from it.
 *
 * @param type the layer type's name (case-insensitive)
 * @param options the options set, in order (never null; none may be null)
 */
public record LayerSpec(String type, Map<String, Object> options) implements Serializable {
  /**
   * Drops options left null; for a registered type, refuses options it does not take and values of the wrong
   * kind, and orders the rest as the type lists them.
   *
   * @throws IllegalArgumentException naming the layer, the option and what it takes
   */
  public LayerSpec {
    Map<String, Object> given = new LinkedHashMap<>();
    if (options != null) {
      options.forEach((k, v) -> {
        if (v != null) {
          given.put(k, v);
        }
      });
    }
    Optional<LayerType> t = LayerTypes.find(type);
    options = Collections.unmodifiableMap(t.isPresent() ? checked(t.get(), given) : given);
  }

  /** A spec of {@code type} with no options. */
  public static LayerSpec of(String type) {
    return new LayerSpec(type, Map.of());
  }

  /** A Linear spec. */
  public static LayerSpec linear(int in, int out) {
    return new LayerSpec("Linear", Map.of("in", in, "out", out));
  }

  /** This spec with option {@code key} set to {@code value} ({@code null}: left out). */
  public LayerSpec with(String key, Object value) {
    Map<String, Object> o = new LinkedHashMap<>(options);
    o.put(key, value);
    return new LayerSpec(type, o);
  }

  /** Option {@code key} as the spec holds it, or null. */
  public Object option(String key) {
    return options.get(key);
  }

  /** The declared input width ({@code in}), or null when the layer takes it from the previous one. */
  public Integer in() {
    return options.get("in") instanceof Integer i ? i : null;
  }

  /**
   * Builds the layer for {@code inputWidth} inputs ({@code -1}: unknown) and checks that its sizes are those
   * {@link #size} claims (which model files are checked against before anything is built).
   *
   * @throws IllegalArgumentException for an unknown type, an unknown option or a bad value, naming it
   */
  public Module build(int inputWidth) {
    LayerType t = LayerTypes.get(type);
    LayerSpec checked = new LayerSpec(type, options);  // in case the type was not registered when this was made
    Module m = t.build(checked, inputWidth);
    if (inputWidth != -1) {
      LayerType.Size claimed = t.size(checked, inputWidth);
      LayerType.Size built = new LayerType.Size(m.parameterCount(), m.stateCount(), m.outputSize(inputWidth));
      if (!claimed.equals(built)) {
        throw new IllegalStateException(t.name() + "'s layer type claims " + claimed + " but builds " + built);
      }
    }
    return m;
  }

  /**
   * Builds the layer for input rows of shape {@code input} and checks that its sizes are those {@link #size(Shape)}
   * claims, as {@link #build(int)} does for a width.
   */
  public Module build(Shape input) {
    LayerType t = LayerTypes.get(type);
    LayerSpec checked = new LayerSpec(type, options);
    Module m = t.build(checked, input);
    LayerType.Size claimed = t.size(checked, input);
    LayerType.Size built = new LayerType.Size(m.parameterCount(), m.stateCount(), m.outputSize(input.features()));
    if (!claimed.equals(built)) {
      throw new IllegalStateException(t.name() + "'s layer type claims " + claimed + " but builds " + built);
    }
    return m;
  }

  /** The sizes the layer would have for input rows of shape {@code input}, computed without building it. */
  public LayerType.Size size(Shape input) {
    return LayerTypes.get(type).size(new LayerSpec(type, options), input);
  }

  /** The shape of the layer's output rows for input rows of shape {@code input}, without building it. */
  public Shape outputShape(Shape input) {
    return LayerTypes.get(type).outputShape(new LayerSpec(type, options), input);
  }

  /** The sizes the layer would have for {@code inputWidth} inputs, computed without building it. */
  public LayerType.Size size(long inputWidth) {
    LayerType t = LayerTypes.get(type);
    return t.size(new LayerSpec(type, options), inputWidth);
  }

  /** The spec that rebuilds {@code m} (same type and options; parameters are not part of a spec). */
  public static LayerSpec describe(Module m) {
    return LayerTypes.describing(m).describe(m);
  }

  /** The canonical spelling of {@code type}, or an {@link IllegalArgumentException} listing the registered ones. */
  public static String canonicalType(String type) {
    return LayerTypes.get(type).name();
  }

  /** Reads {@code {type: ..., option: value, ...}}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static LayerSpec fromJson(Object json) throws JsonMappingException {
    return LayerSpecReader.read(json);
  }

  /** Writes {@code {type: ..., option: value, ...}}, the type first. */
  @JsonValue
  Map<String, Object> toJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", type);
    fields.putAll(options);
    return fields;
  }

  @Override
  public String toString() {
    return toJson().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  static String noSuchOption(LayerType t, String key) {
    List<String> names = t.options().stream().map(LayerOption::name).toList();
    return t.name() + " takes no option '" + key + "'" + (names.isEmpty() ? "" : "; its options are " + names);
  }

  private static Map<String, Object> checked(LayerType t, Map<String, Object> given) {
    List<LayerOption<?>> allowed = t.options();
    List<String> names = allowed.stream().map(LayerOption::name).toList();
    for (String k : given.keySet()) {
      if (!names.contains(k)) {
        throw new IllegalArgumentException(noSuchOption(t, k));
      }
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (LayerOption<?> o : allowed) {
      if (given.containsKey(o.name())) {
        ordered.put(o.name(), o.convert(t.name(), given.get(o.name())));
      }
    }
    return ordered;
  }
}
