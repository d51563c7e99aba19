package io.sparknn.ml;

import java.io.Serializable;
import scala.Function1;
import scala.runtime.AbstractFunction1;

/** Validators the sparknn estimators' params share beyond Spark's {@code ParamValidators}. */
final class NetworkParams {
  private NetworkParams() {}

  /** {@code layers}: at least an input and an output width, all positive. */
  static Function1<int[], Object> layersValidator() {
    return new LayerWidths();
  }

  private static final class LayerWidths extends AbstractFunction1<int[], Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(int[] widths) {
      if (widths.length < 2) {
        return false;
      }
      for (int w : widths) {
        if (w <= 0) {
          return false;
        }
      }
      return true;
    }
  }
}
