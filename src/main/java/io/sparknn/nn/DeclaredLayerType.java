package io.sparknn.nn;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link LayerType} given by its parts, so that a built-in layer declares its type in one statement
 * ({@link LayerType#of}) instead of a class of five methods.
 *
 * @param sizer the sizes without building, or null for the default (no parameters or state, width kept)
 */
record DeclaredLayerType<M extends Module>(String name, Class<M> moduleClass, List<LayerOption<?>> options,
    BiFunction<LayerSpec, Integer, M> builder, Function<M, LayerSpec> describer,
    BiFunction<LayerSpec, Long, Size> sizer) implements LayerType {

  @Override
  public Module build(LayerSpec spec, int inputWidth) {
    return builder.apply(spec, inputWidth);
  }

  @Override
  public LayerSpec describe(Module m) {
    return describer.apply(moduleClass.cast(m));
  }

  @Override
  public Size size(LayerSpec spec, long inputWidth) {
    return sizer == null ? LayerType.super.size(spec, inputWidth) : sizer.apply(spec, inputWidth);
  }

  @Override
  public String toString() {
    return "LayerType " + name;
  }
}
