package io.sparknn.ml;

import java.io.Serializable;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params the fitted sparknn models share, made for one owner with their docs and set as its defaults: which
 * layer's output {@code transform} adds as a vector column (default -1, the last), and that column's name
 * (default empty: none). {@link ActivationsParamsHolder} exposes them.
 */
final class ActivationsParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final IntParam activationsLayer;
  final Param<String> activationsCol;

  ActivationsParams(Params owner) {
    activationsLayer = new IntParam(owner, "activationsLayer", "the layer whose output activationsCol holds: an "
        + "index into the model's layers, negative from the end (-1: the last)");
    activationsCol = new Param<>(owner, "activationsCol", "column for the output of layer activationsLayer as a "
        + "vector; empty: none");
    owner.setDefault(activationsLayer, -1);
    owner.setDefault(activationsCol, "");
  }
}
