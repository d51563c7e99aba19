package io.sparknn.nn;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The description of one layer as a config or a model file states it ({@code {type: Linear, out: 196}}), and
 * the factory that turns it into a {@link Module}. Only the fields a type uses may be set; {@code in} of a
 * Linear or a normalisation layer may be left out and is then taken from the previous layer's width.
 *
 * @param type one of {@link #TYPES} (case-insensitive)
 * @param in input width (Linear, BatchMeanSubtraction, BatchNormalization)
 * @param out output width (Linear)
 * @param slope LeakyReLU's negative slope (default 0.03)
 * @param alpha ELU's alpha (default 1) or BatchMeanSubtraction's running-mean factor (default 0.9)
 * @param p Dropout's drop probability
 * @param eps BatchNormalization's epsilon (default 1e-5)
 * @param momentum BatchNormalization's running-statistics momentum (default 0.1)
 * @param compute Linear's arithmetic: {@code float64} (the default) or {@code float32} (sgemm on float copies;
 *     parameters and gradients stay float64)
 */
public record LayerSpec(String type, Integer in, Integer out, Double slope, Double alpha, Double p, Double eps,
    Double momentum, String compute) implements Serializable {
  /** The values {@code compute} may take. */
  public static final List<String> COMPUTE = List.of("float64", "float32");

  /** A spec without {@code compute} (float64). */
  public LayerSpec(String type, Integer in, Integer out, Double slope, Double alpha, Double p, Double eps,
      Double momentum) {
    this(type, in, out, slope, alpha, p, eps, momentum, null);
  }

  /** The layer types a spec may name. */
  public static final List<String> TYPES = List.of("Linear", "ReLU", "LeakyReLU", "ELU", "SoftPlus", "Sigmoid",
      "Tanh", "SoftMax", "LogSoftMax", "Dropout", "BatchMeanSubtraction", "BatchNormalization");

  /** A spec of {@code type} with no options. */
  public static LayerSpec of(String type) {
    return new LayerSpec(type, null, null, null, null, null, null, null);
  }

  /** A Linear spec. */
  public static LayerSpec linear(int in, int out) {
    return new LayerSpec("Linear", in, out, null, null, null, null, null);
  }

  /** The canonical spelling of {@code type}, or an {@link IllegalArgumentException} listing the allowed ones. */
  public static String canonicalType(String type) {
    if (type == null) {
      throw new IllegalArgumentException("a layer needs a 'type', one of " + TYPES);
    }
    for (String t : TYPES) {
      if (t.toLowerCase(Locale.ROOT).equals(type.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown layer type '" + type + "'; expected one of " + TYPES);
  }

  /**
   * Builds the layer for {@code inputWidth} inputs ({@code -1}: unknown), checking that only the options its
   * type uses are set and that they are valid; messages name the option and what was expected.
   */
  public Module build(int inputWidth) {
    String t = canonicalType(type);
    List<String> allowed = switch (t) {
      case "Linear" -> List.of("in", "out", "compute");
      case "LeakyReLU" -> List.of("slope");
      case "ELU" -> List.of("alpha");
      case "Dropout" -> List.of("p");
      case "BatchMeanSubtraction" -> List.of("in", "alpha");
      case "BatchNormalization" -> List.of("in", "eps", "momentum");
      default -> List.of();
    };
    requireOnly(t, allowed);
    return switch (t) {
      case "Linear" -> new Linear(width(t, inputWidth), positive(t, "out", out)).float32(float32(t));
      case "ReLU" -> new ReLU();
      case "LeakyReLU" -> new LeakyReLU(slope == null ? LeakyReLU.DEFAULT_SLOPE : slope);
      case "ELU" -> new ELU(alpha == null ? ELU.DEFAULT_ALPHA : alpha);
      case "SoftPlus" -> new SoftPlus();
      case "Sigmoid" -> new Sigmoid();
      case "Tanh" -> new Tanh();
      case "SoftMax" -> new SoftMax();
      case "LogSoftMax" -> new LogSoftMax();
      case "Dropout" -> {
        if (p == null) {
          throw new IllegalArgumentException("Dropout needs 'p', the drop probability in [0, 1)");
        }
        yield new Dropout(p);
      }
      case "BatchMeanSubtraction" -> new BatchMeanSubtraction(width(t, inputWidth), alpha == null ? 0.9 : alpha);
      case "BatchNormalization" -> new BatchNormalization(width(t, inputWidth),
          eps == null ? BatchNormalization.DEFAULT_EPS : eps,
          momentum == null ? BatchNormalization.DEFAULT_MOMENTUM : momentum);
      default -> throw new IllegalStateException(t);
    };
  }

  /** The spec that rebuilds {@code m} (same type and options; parameters are not part of a spec). */
  public static LayerSpec describe(Module m) {
    if (m instanceof Linear l) {
      return new LayerSpec("Linear", l.inputSize(), l.outputSize(), null, null, null, null, null,
          l.isFloat32() ? "float32" : null);
    }
    if (m instanceof LeakyReLU l) {
      return new LayerSpec("LeakyReLU", null, null, l.slope(), null, null, null, null);
    }
    if (m instanceof ELU e) {
      return new LayerSpec("ELU", null, null, null, e.alpha(), null, null, null);
    }
    if (m instanceof Dropout d) {
      return new LayerSpec("Dropout", null, null, null, null, d.p(), null, null);
    }
    if (m instanceof BatchMeanSubtraction b) {
      return new LayerSpec("BatchMeanSubtraction", b.features(), null, null, b.alpha(), null, null, null);
    }
    if (m instanceof BatchNormalization b) {
      return new LayerSpec("BatchNormalization", b.features(), null, null, null, null, b.eps(), b.momentum());
    }
    String name = m.getClass().getSimpleName();
    if (!TYPES.contains(name) || m instanceof Sequential) {
      throw new IllegalArgumentException("no layer spec for " + name + "; describable types are " + TYPES);
    }
    return of(name);
  }

  private int width(String t, int inputWidth) {
    if (in != null) {
      int w = positive(t, "in", in);
      if (inputWidth != -1 && w != inputWidth) {
        throw new IllegalArgumentException(t + " declares in: " + w + " but the previous layer gives "
            + inputWidth);
      }
      return w;
    }
    if (inputWidth == -1) {
      throw new IllegalArgumentException(t + " needs 'in' (the input width): nothing before it gives one");
    }
    return inputWidth;
  }

  private static int positive(String t, String key, Integer v) {
    if (v == null || v <= 0) {
      throw new IllegalArgumentException(t + " needs '" + key + "' > 0, got " + v);
    }
    return v;
  }

  private boolean float32(String t) {
    if (compute != null && !COMPUTE.contains(compute)) {
      throw new IllegalArgumentException(t + " 'compute' must be one of " + COMPUTE + ", got '" + compute + "'");
    }
    return "float32".equals(compute);
  }

  private void requireOnly(String t, List<String> allowed) {
    Object[][] fields = {{"in", in}, {"out", out}, {"slope", slope}, {"alpha", alpha}, {"p", p}, {"eps", eps},
        {"momentum", momentum}, {"compute", compute}};
    for (Object[] f : fields) {
      if (f[1] != null && !allowed.contains((String) f[0])) {
        throw new IllegalArgumentException(t + " takes no option '" + f[0] + "'"
            + (allowed.isEmpty() ? "" : "; its options are " + allowed));
      }
    }
  }
}
