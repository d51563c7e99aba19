package io.sparknn.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params of {@link SparknnClassificationModel} and {@link SparknnRegressionModel}: accessors (found by
 * Spark's reflection), getters, and setters that return the model itself ({@code T}). Written once here because
 * the two models extend different Spark base classes; public because Spark invokes the accessors reflectively
 * from its own package.
 *
 * @param <T> the model's own type, returned by the setters
 */
public interface ActivationsParamsHolder<T extends ActivationsParamsHolder<T>> extends Params {

  /** The param objects this model was made with; internal, not for users. */
  ActivationsParams activationsParams();

  /** The layer whose output {@code activationsCol} holds: an index into the layers, negative from the end. */
  default IntParam activationsLayer() {
    return activationsParams().activationsLayer;
  }

  /** Column for the output of layer {@code activationsLayer} as a vector; empty: none. */
  default Param<String> activationsCol() {
    return activationsParams().activationsCol;
  }

  /** The layer index whose output {@code activationsCol} holds (default -1, the last). */
  default int getActivationsLayer() {
    return (Integer) $(activationsLayer());
  }

  /** The activations column's name; empty: none. */
  default String getActivationsCol() {
    return $(activationsCol());
  }

  /** Sets the layer whose output {@code activationsCol} holds. */
  default T setActivationsLayer(int value) {
    return self(set(activationsLayer(), value));
  }

  /** Sets the activations column's name (empty: none). */
  default T setActivationsCol(String value) {
    return self(set(activationsCol(), value));
  }

  // Spark's set returns this; T is this object's own class by the type parameter's contract.
  @SuppressWarnings("unchecked")
  private T self(Params updated) {
    return (T) updated;
  }
}
