package io.sparknn.ml;

import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.tensor.Matrix;
import io.sparknn.tensor.PackedDoubles;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;

/**
 * A fitted model's network: its spec and flat weights (parameters, then running statistics), the one
 * broadcast of those weights its transforms share (made on first use in a SparkContext), and a driver-side
 * copy of the network for scoring one row at a time ({@code predict(features)}).
 */
final class TrainedNetwork {
  private final ModelSpec spec;
  private final double[] weightsAndState;
  private final int outputs;
  private Broadcast<byte[]> broadcast;
  private SparkContext broadcastContext;
  private Sequential local;

  TrainedNetwork(ModelSpec spec, double[] weightsAndState) {
    Sequential model = spec.build(0);
    if (weightsAndState.length != model.parameterCount() + model.stateCount()) {
      throw new IllegalArgumentException("the model " + spec.layers() + " has " + model.parameterCount()
          + " parameters and " + model.stateCount() + " state values, but " + weightsAndState.length
          + " values were given");
    }
    this.spec = spec;
    this.weightsAndState = weightsAndState.clone();
    this.outputs = model.outputSize(spec.inputWidth());
  }

  ModelSpec spec() {
    return spec;
  }

  /** A copy of the flat weights and running statistics. */
  double[] weightsAndState() {
    return weightsAndState.clone();
  }

  /** The network's width of output. */
  int outputs() {
    return outputs;
  }

  /** The network built and loaded with the weights. */
  Sequential build() {
    Sequential model = spec.build(0);
    double[] w = model.parameters();
    System.arraycopy(weightsAndState, 0, w, 0, w.length);
    System.arraycopy(weightsAndState, w.length, model.state(), 0, model.stateCount());
    model.evaluate();
    return model;
  }

  /** The weights as one broadcast in {@code sc}, made once per context. */
  synchronized Broadcast<byte[]> broadcast(SparkContext sc) {
    if (broadcast == null || broadcastContext != sc) {
      broadcast = sc.broadcast(PackedDoubles.pack(weightsAndState),
          scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
      broadcastContext = sc;
    }
    return broadcast;
  }

  /** The output of module {@code upTo} (inclusive) for one row, on the driver. */
  synchronized double[] forward(Vector features, int upTo) {
    if (local == null) {
      local = build();
    }
    if (features.size() != spec.inputWidth()) {
      throw new IllegalArgumentException("a vector of " + features.size() + " features; the model takes "
          + spec.inputWidth());
    }
    Matrix h = Matrix.wrap(features.toArray(), 1, spec.inputWidth());
    for (int i = 0; i <= upTo; i++) {
      h = local.get(i).forward(h);
    }
    return h.toArray();
  }
}
