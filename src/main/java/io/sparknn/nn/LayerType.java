package io.sparknn.nn;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything sparknn needs to know about one kind of layer, stated by the layer itself: the name configs use,
 * its options, how it builds a {@link Module} from a {@link LayerSpec}, how it describes such a module back
 * into a spec, and its sizes computed without building (so a model file claiming an absurd layer is refused
 * before anything is allocated). Built-in layers expose theirs as {@code TYPE} and are listed in
 * {@link LayerTypes}; a layer in another jar is registered through {@link java.util.ServiceLoader}, by a
 * {@code META-INF/services/io.sparknn.nn.LayerType} file naming a public class with a public no-argument
 * constructor that implements this interface.
 */
public interface LayerType {
  /** Sizes of a layer: parameters, state values (running statistics) and the width it outputs. */
  record Size(long parameters, long state, long outputWidth) {}

  /** The name configs give as {@code type} (matched case-insensitively). */
  String name();

  /** The module class this type builds and describes (matched exactly, not by subclass). */
  Class<? extends Module> moduleClass();

  /** The options a spec of this type may set, in the order they are written; none by default. */
  default List<LayerOption<?>> options() {
    return List.of();
  }

  /**
   * Builds the layer for {@code inputWidth} inputs ({@code -1}: unknown). Every option in {@code spec} is
   * one of {@link #options()} and of its kind; the layer checks ranges and required options.
   *
   * @throws IllegalArgumentException naming the option and what was expected
   */
  Module build(LayerSpec spec, int inputWidth);

  /** The spec that rebuilds {@code m}, an instance of {@link #moduleClass()}; by default just the type. */
  default LayerSpec describe(Module m) {
    return LayerSpec.of(name());
  }

  /**
   * The sizes {@link #build} would give for {@code inputWidth} inputs, without building or allocating
   * anything; by default no parameters, no state and the input width out. Building checks they agree.
   */
  default Size size(LayerSpec spec, long inputWidth) {
    return new Size(0, 0, inputWidth);
  }

  /**
   * Builds the layer for rows of shape {@code input}; by default {@link #build(LayerSpec, int)} for its number
   * of features. Layers that read rows as images (convolutions, pooling) override it.
   */
  default Module build(LayerSpec spec, Shape input) {
    return build(spec, input.features());
  }

  /** The sizes {@link #build(LayerSpec, Shape)} would give; by default {@link #size(LayerSpec, long)}. */
  default Size size(LayerSpec spec, Shape input) {
    return size(spec, input.features());
  }

  /**
   * The shape of the layer's output rows for input rows of shape {@code input}: by default the input's shape
   * when the layer keeps the width (activations, Dropout), else a flat row of its output width (Linear).
   *
   * @throws IllegalArgumentException when the layer cannot take {@code input}, naming both shapes
   */
  default Shape outputShape(LayerSpec spec, Shape input) {
    long width = size(spec, input).outputWidth();
    return width == input.features() ? input : Shape.flat(width);
  }

  /** The input width of a layer taking {@link LayerOption#IN}: {@code in} if set, else the previous width. */
  default int inputWidth(LayerSpec spec, int previous) {
    return inputWidth(name(), spec, previous);
  }

  /** The input width of a {@code layer} taking {@link LayerOption#IN}: {@code in} if set, else the previous width. */
  static int inputWidth(String layer, LayerSpec spec, int previous) {
    Integer in = LayerOption.IN.of(spec);
    if (in != null) {
      if (in <= 0) {
        throw new IllegalArgumentException(layer + " needs 'in' > 0, got " + in);
      }
      if (previous != -1 && in != previous) {
        throw new IllegalArgumentException(layer + " declares in: " + in + " but the previous layer gives "
            + previous);
      }
      return in;
    }
    if (previous == -1) {
      throw new IllegalArgumentException(layer + " needs 'in' (the input width): nothing before it gives one");
    }
    return previous;
  }

  /** A type without options, parameters or state that keeps the width: the element-wise activations. */
  static <M extends Module> LayerType of(String name, Class<M> moduleClass, Supplier<M> make) {
    return of(name, moduleClass, List.of(), (spec, width) -> make.get(), m -> LayerSpec.of(name));
  }

  /** A type with options whose layer keeps the width and has no parameters or state. */
  static <M extends Module> LayerType of(String name, Class<M> moduleClass, List<LayerOption<?>> options,
      BiFunction<LayerSpec, Integer, M> build, Function<M, LayerSpec> describe) {
    return new DeclaredLayerType<>(name, moduleClass, options, build, describe, null);
  }

  /**
   * A type whose layer reads its rows as shaped ({@link Shape}): it is built for, counts its parameters for and
   * derives its output shape from the input's shape; it cannot be built from a width alone.
   */
  static <M extends Module> LayerType shaped(String name, Class<M> moduleClass, List<LayerOption<?>> options,
      BiFunction<LayerSpec, Shape, M> build, Function<M, LayerSpec> describe,
      BiFunction<LayerSpec, Shape, Long> parameters, BiFunction<LayerSpec, Shape, Shape> outputShape) {
    return new ShapedLayerType<>(name, moduleClass, options, build, describe, parameters, outputShape);
  }

  /** A type with options, parameters or state, or another output width, which {@code size} states. */
  static <M extends Module> LayerType of(String name, Class<M> moduleClass, List<LayerOption<?>> options,
      BiFunction<LayerSpec, Integer, M> build, Function<M, LayerSpec> describe,
      BiFunction<LayerSpec, Long, Size> size) {
    return new DeclaredLayerType<>(name, moduleClass, options, build, describe, size);
  }
}
