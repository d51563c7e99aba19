package io.sparknn.experiments;

import io.sparknn.data.Broadcasts;
import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.tensor.Matrix;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A model's outputs for every row of a distributed data set, computed on the executors: each partition
 * builds the model from the broadcast spec and weights, runs it in evaluation mode over its rows in chunks,
 * and returns its outputs as float32 with the rows' labels. The driver joins the partitions in order into one
 * {@link Dataset}, ready to train on (this is how the autoencoder's 30-d codes are extracted).
 */
public final class ModelOutputs {
  private static final int CHUNK = 1000;

  private ModelOutputs() {}

  /** The outputs of {@code spec} with {@code weightsAndState} (see {@code Sequential.weightsAndState}). */
  public static Dataset of(JavaSparkContext sc, PartitionedDataset data, ModelSpec spec, double[] weightsAndState) {
    Broadcast<double[]> weights = sc.broadcast(weightsAndState);
    try {
      List<Dataset> parts = data.rdd().map(part -> outputs(part, spec, weights.value())).collect();
      return concat(parts);
    } finally {
      Broadcasts.remove(weights);
    }
  }

  static Dataset outputs(Dataset part, ModelSpec spec, double[] weightsAndState) {
    Sequential model = spec.build(0);
    double[] w = model.parameters();
    double[] s = model.state();
    System.arraycopy(weightsAndState, 0, w, 0, w.length);
    System.arraycopy(weightsAndState, w.length, s, 0, s.length);
    model.evaluate();
    int width = model.outputSize(part.cols());
    float[] out = new float[part.rows() * width];
    byte[] labels = part.hasLabels() ? new byte[part.rows()] : null;
    Matrix x = null;
    for (int from = 0; from < part.rows(); from += CHUNK) {
      int to = Math.min(part.rows(), from + CHUNK);
      x = Matrix.reuse(x, to - from, part.cols());
      part.gatherRange(from, to, x, null, 0);
      Matrix y = model.forward(x);
      for (int i = 0; i < y.size(); i++) {
        out[from * width + i] = (float) y.data()[y.offset() + i];
      }
    }
    for (int r = 0; labels != null && r < part.rows(); r++) {
      labels[r] = (byte) part.label(r);
    }
    return Dataset.ofFloats(out, labels, part.rows(), width, part.hasLabels() ? part.classes() : 0);
  }

  /** The rows of {@code parts}, in order, as one data set. */
  static Dataset concat(List<Dataset> parts) {
    int rows = 0;
    int cols = parts.get(0).cols();
    boolean labelled = parts.get(0).hasLabels();
    for (Dataset p : parts) {
      rows += p.rows();
    }
    float[] values = new float[rows * cols];
    byte[] labels = labelled ? new byte[rows] : null;
    int r = 0;
    for (Dataset p : parts) {
      for (int i = 0; i < p.rows(); i++, r++) {
        for (int c = 0; c < cols; c++) {
          // feature() is the stored float (scale 1, offset 0 for float data sets): exact.
          values[r * cols + c] = (float) p.feature(i, c);
        }
        if (labelled) {
          labels[r] = (byte) p.label(i);
        }
      }
    }
    return Dataset.ofFloats(values, labels, rows, cols, labelled ? parts.get(0).classes() : 0);
  }
}
