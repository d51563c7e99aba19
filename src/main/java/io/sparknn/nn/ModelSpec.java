package io.sparknn.nn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole model as data: its input width and its layers, in order. It is what configs and model files hold,
 * and what Spark ships to executors, which then build their own {@link Sequential} replicas.
 */
public record ModelSpec(int inputWidth, List<LayerSpec> layers) implements Serializable {
  public ModelSpec {
    if (inputWidth <= 0) {
      throw new IllegalArgumentException("model input width must be positive, got " + inputWidth);
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    layers = List.copyOf(layers);
  }

  /**
   * Builds the model with parameters initialised from {@code seed}. Errors name the layer by position.
   *
   * @throws IllegalArgumentException for an unknown type, a bad option or widths that do not fit together
   */
  public Sequential build(long seed) {
    Sequential net = new Sequential();
    int width = inputWidth;
    for (int i = 0; i < layers.size(); i++) {
      Module m;
      try {
        m = layers.get(i).build(width);
        width = m.outputSize(width);
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
    List<LayerSpec> specs = new ArrayList<>();
    for (Module m : model.modules()) {
      specs.add(LayerSpec.describe(m));
    }
    return new ModelSpec(inputWidth, specs);
  }

  /**
   * Parameters and state values the model would have, computed from each layer type's {@link LayerType#size}
   * without building it (so a file that claims an absurd layer is refused before anything is allocated):
   * {@code {parameters, state}}.
   */
  public long[] countParameters() {
    long params = 0;
    long state = 0;
    long width = inputWidth;
    for (int i = 0; i < layers.size(); i++) {
      LayerType.Size s;
      try {
        s = layers.get(i).size(width);
        params = Math.addExact(params, s.parameters());
        state = Math.addExact(state, s.state());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model." + i + ": " + e.getMessage(), e);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("model." + i + ": more values than a long counts", e);
      }
      width = s.outputWidth();
    }
    return new long[] {params, state};
  }
}
