package example;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerType;
import io.sparknn.nn.Module;
import io.sparknn.nn.Pointwise;

/**
 * {@code y = x}: a layer no services file on the test class path registers, so that a test can register it
 * through a class loader of its own, as Spark registers a jar it adds to an application.
 */
public final class Identity extends Pointwise {
  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    System.arraycopy(x, xo, y, yo, n);
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    System.arraycopy(g, go, gi, o, n);
  }

  @Override
  public String toString() {
    return "Identity";
  }

  /** Its registration. */
  public static final class Type implements LayerType {
    private static final LayerType SIMPLE = LayerType.of("Identity", Identity.class, Identity::new);

    @Override
    public String name() {
      return SIMPLE.name();
    }

    @Override
    public Class<? extends Module> moduleClass() {
      return SIMPLE.moduleClass();
    }

    @Override
    public Module build(LayerSpec spec, int inputWidth) {
      return SIMPLE.build(spec, inputWidth);
    }
  }

  /** Identity again, claiming a parameter it does not have: building it must notice. */
  public static final class Miscounted implements LayerType {
    @Override
    public String name() {
      return "MiscountedIdentity";
    }

    @Override
    public Class<? extends Module> moduleClass() {
      return Identity.class;
    }

    @Override
    public Module build(LayerSpec spec, int inputWidth) {
      return new Identity();
    }

    @Override
    public Size size(LayerSpec spec, long inputWidth) {
      return new Size(1, 0, inputWidth);
    }
  }
}
