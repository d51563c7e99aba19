package io.sparknn.nn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole model as data: its input width and its layers, in order. It is what configs and model files hold,
 * and what Spark ships to executors, which then build their own {@link Sequential} replicas.
 *
 * <p>The input rows have a {@link Shape}: flat ({@code [inputWidth]}) unless given, or an image such as
 * {@code [1, 28, 28]} for convolutions. Each layer's output shape is derived from the one before
 * ({@link LayerType#outputShape}), so a layer that cannot take the shape it gets is refused by position, naming
 * both shapes, before anything is built.
 *
 * @param inputWidth features per input row
 * @param layers the layers, in order
 * @param inputShape the shape of an input row, whose sizes multiply to {@code inputWidth} (null: flat)
 */
public record ModelSpec(int inputWidth, List<LayerSpec> layers, Shape inputShape) implements Serializable {
  public ModelSpec {
    if (inputWidth <= 0) {
      throw new IllegalArgumentException("model input width must be positive, got " + inputWidth);
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    layers = List.copyOf(layers);
    inputShape = inputShape == null ? Shape.flat(inputWidth) : inputShape;
    if (inputShape.features() != inputWidth) {
      throw new IllegalArgumentException("input shape " + inputShape + " holds " + inputShape.features()
          + " features, but the model's input width is " + inputWidth);
    }
  }

  /** A model taking flat rows of {@code inputWidth} features. */
  public ModelSpec(int inputWidth, List<LayerSpec> layers) {
    this(inputWidth, layers, null);
  }

  /** A model taking rows of shape {@code inputShape}. */
  public ModelSpec(Shape inputShape, List<LayerSpec> layers) {
    this(inputShape.features(), layers, inputShape);
  }

  /**
   * Builds the model with parameters initialised from {@code seed}. Errors name the layer by position.
   *
   * @throws IllegalArgumentException for an unknown type, a bad option or shapes that do not fit together
   */
  public Sequential build(long seed) {
    Sequential net = new Sequential();
    Shape shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Module m;
      try {
        m = layers.get(i).build(shape);
        shape = layers.get(i).outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model." + i + ": " + e.getMessage(), e);
      }
      net.add(m);
    }
    net.reset(seed);
    return net;
  }

  /** The spec of an existing model taking {@code inputWidth} inputs. */
  public static ModelSpec describe(Sequential model, int inputWidth) {
    return describe(model, Shape.flat(inputWidth));
  }

  /** The spec of an existing model taking rows of shape {@code inputShape}. */
  public static ModelSpec describe(Sequential model, Shape inputShape) {
    List<LayerSpec> specs = new ArrayList<>();
    for (Module m : model.modules()) {
      specs.add(LayerSpec.describe(m));
    }
    return new ModelSpec(inputShape, specs);
  }

  /** Whether the input rows have a shape of their own (an image), rather than being flat. */
  public boolean shaped() {
    return inputShape.dims().size() > 1;
  }

  /**
   * The shape of each layer's output rows, in order, derived without building anything.
   *
   * @throws IllegalArgumentException naming the layer by position and the shapes that do not fit
   */
  public List<Shape> shapes() {
    List<Shape> out = new ArrayList<>();
    Shape shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      try {
        shape = layers.get(i).outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model." + i + ": " + e.getMessage(), e);
      }
      out.add(shape);
    }
    return out;
  }

  /**
   * The model as a table for people: the input shape, then one line per layer of {@code model} (built from this
   * spec) with its output shape and its number of parameters, then the total.
   */
  public String summary(Sequential model) {
    List<Shape> shapes = shapes();
    List<String> names = new ArrayList<>();
    int wide = "input".length();
    for (Module m : model.modules()) {
      names.add(m.toString().strip());
      wide = Math.max(wide, names.get(names.size() - 1).length());
    }
    String row = "%-" + wide + "s  %-16s %,12d%n";
    StringBuilder sb = new StringBuilder(String.format("%-" + wide + "s  %s%n", "input", inputShape));
    for (int i = 0; i < names.size(); i++) {
      sb.append(String.format(row, names.get(i), shapes.get(i), model.get(i).parameterCount()));
    }
    sb.append(String.format(row, "parameters", "", model.parameterCount()));
    return sb.toString();
  }

  /**
   * Parameters and state values the model would have, computed from each layer type's {@link LayerType#size}
   * without building it (so a file that claims an absurd layer is refused before anything is allocated):
   * {@code {parameters, state}}.
   */
  public long[] countParameters() {
    long params = 0;
    long state = 0;
    Shape shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      try {
        LayerType.Size s = layers.get(i).size(shape);
        params = Math.addExact(params, s.parameters());
        state = Math.addExact(state, s.state());
        shape = layers.get(i).outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model." + i + ": " + e.getMessage(), e);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("model." + i + ": more values than a long counts", e);
      }
    }
    return new long[] {params, state};
  }
}
