package example;

import io.sparknn.nn.LayerOption;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerType;
import io.sparknn.nn.Module;
import io.sparknn.nn.Pointwise;
import java.util.List;

/**
 * A layer as a user would write it in their own jar, outside sparknn's packages: Swish,
 * {@code y = x · σ(beta · x)}. Its {@link Type} is registered through
 * {@code src/test/resources/META-INF/services/io.sparknn.nn.LayerType}, so configs can name it
 * ({@code {type: Swish, beta: 1.5}}) and Spark executors can build it.
 */
public final class Swish extends Pointwise {
  private final double beta;

  public Swish(double beta) {
    if (!Double.isFinite(beta)) {
      throw new IllegalArgumentException("Swish beta must be finite, got " + beta);
    }
    this.beta = beta;
  }

  public double beta() {
    return beta;
  }

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = v / (1 + Math.exp(-beta * v));
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      double s = 1 / (1 + Math.exp(-beta * v));
      gi[o + i] = g[go + i] * (s + beta * v * s * (1 - s));
    }
  }

  @Override
  public String toString() {
    return "Swish " + beta;
  }

  /** Swish's registration: a public class with a public no-argument constructor, as ServiceLoader needs. */
  public static final class Type implements LayerType {
    static final LayerOption<Double> BETA = LayerOption.number("beta", 1.0);

    @Override
    public String name() {
      return "Swish";
    }

    @Override
    public Class<? extends Module> moduleClass() {
      return Swish.class;
    }

    @Override
    public List<LayerOption<?>> options() {
      return List.of(BETA);
    }

    @Override
    public Module build(LayerSpec spec, int inputWidth) {
      return new Swish(BETA.of(spec));
    }

    @Override
    public LayerSpec describe(Module m) {
      return LayerSpec.of("Swish").with("beta", ((Swish) m).beta());
    }
  }
}
