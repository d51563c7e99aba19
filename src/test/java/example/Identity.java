package example;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerType;
import io.sparknn.nn.Pointwise;
import io.sparknn.nn.ServiceLayerType;
import java.util.List;

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
  public static final class Type extends ServiceLayerType {
    public Type() {
      super(LayerType.of("Identity", Identity.class, Identity::new));
    }
  }

  /** Identity again, claiming a parameter it does not have: building it must notice. */
  public static final class Miscounted extends ServiceLayerType {
    public Miscounted() {
      super(LayerType.of("MiscountedIdentity", Identity.class, List.of(), (spec, width) -> new Identity(),
          m -> LayerSpec.of("MiscountedIdentity"), (spec, width) -> new Size(1, 0, width)));
    }
  }
}
