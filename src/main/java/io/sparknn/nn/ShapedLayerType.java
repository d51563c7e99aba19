package io.sparknn.nn;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link LayerType} for a layer that reads its rows as shaped (an image of channels × height × width), given
 * by its parts ({@link LayerType#shaped}). Such a layer is built, counted and shaped from the input's
 * {@link Shape}; given only a width it refuses, since a width does not say the image's height and width.
 *
 * @param parameters the number of parameters for an input shape
 * @param shaper the output shape for an input shape, refusing one that does not fit
 */
record ShapedLayerType<M extends Module>(String name, Class<M> moduleClass, List<LayerOption<?>> options,
    BiFunction<LayerSpec, Shape, M> builder, Function<M, LayerSpec> describer,
    BiFunction<LayerSpec, Shape, Long> parameters, BiFunction<LayerSpec, Shape, Shape> shaper)
    implements LayerType {

  @Override
  public Module build(LayerSpec spec, int inputWidth) {
    throw needsShape(inputWidth);
  }

  @Override
  public Module build(LayerSpec spec, Shape input) {
    return builder.apply(spec, input);
  }

  @Override
  public LayerSpec describe(Module m) {
    return describer.apply(moduleClass.cast(m));
  }

  @Override
  public Size size(LayerSpec spec, long inputWidth) {
    throw needsShape(inputWidth);
  }

  @Override
  public Size size(LayerSpec spec, Shape input) {
    return new Size(parameters.apply(spec, input), 0, shaper.apply(spec, input).features());
  }

  @Override
  public Shape outputShape(LayerSpec spec, Shape input) {
    return shaper.apply(spec, input);
  }

  private IllegalArgumentException needsShape(long width) {
    return new IllegalArgumentException(name + " reads its input as [channels, height, width], which a width alone ("
        + width + ") does not say; give the model's input shape (the config's input_shape, e.g. [1, 28, 28])");
  }

  @Override
  public String toString() {
    return "LayerType " + name;
  }
}
