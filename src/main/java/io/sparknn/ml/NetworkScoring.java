package io.sparknn.ml;

import io.sparknn.nn.LogSoftMax;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.tensor.Matrix;
import io.sparknn.tensor.PackedDoubles;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * A model's {@code transform}, run by the executors partition by partition: each task builds the network from
 * its spec, loads the weights from one broadcast (so they travel once per executor, not inside every task), and
 * scores its rows in chunks of {@value #CHUNK} with one forward pass per chunk (one gemm per Linear layer
 * rather than one per row). The new columns, appended after the input's, are any of: the raw scores (the
 * input of the final SoftMax or LogSoftMax: the logits), the class probabilities, the prediction (the class
 * of highest probability, or of highest probability / threshold when thresholds are set; for a regression
 * model, its one output), and the output of a chosen layer as a vector.
 */
final class NetworkScoring implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int CHUNK = 256;

  /** What an appended column holds. */
  enum Output { RAW, PROBABILITY, PREDICTION, VALUE, ACTIVATIONS }

  private final ModelSpec spec;
  private final Broadcast<byte[]> weights;
  private final String featuresCol;
  private final int featuresIndex;
  private final Output[] outputs;
  private final int layer;
  private final double[] thresholds;

  /**
   * @param outputs what each appended column holds, in order
   * @param layer the module whose output {@link Output#ACTIVATIONS} holds
   * @param thresholds per-class thresholds for the prediction, or null
   */
  NetworkScoring(ModelSpec spec, Broadcast<byte[]> weights, StructType input, String featuresCol, Output[] outputs,
      int layer, double[] thresholds) {
    this.spec = spec;
    this.weights = weights;
    this.featuresCol = featuresCol;
    this.featuresIndex = input.fieldIndex(featuresCol);
    this.outputs = outputs.clone();
    this.layer = layer;
    this.thresholds = thresholds;
  }

  /** {@code data} with the new columns of {@code schema} (its input columns, then one per output) computed. */
  Dataset<Row> apply(Dataset<?> data, StructType schema) {
    return data.sparkSession().createDataFrame(data.toDF().javaRDD().mapPartitions(this::score), schema);
  }

  private Iterator<Row> score(Iterator<Row> rows) {
    Sequential model = spec.build(0);
    double[] w = model.parameters();
    double[] s = model.state();
    PackedDoubles.unpack(weights.value(), 0, w);
    PackedDoubles.unpack(weights.value(), w.length, s);
    model.evaluate();
    return new Chunks(rows, model);
  }

  /** Reads, scores and hands out {@value #CHUNK} rows at a time, reusing its buffers. */
  private final class Chunks implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final Sequential model;
    private final Row[] in = new Row[CHUNK];
    private final Row[] out = new Row[CHUNK];
    private Matrix x;
    private long seen;
    private int size;
    private int next;

    Chunks(Iterator<Row> rows, Sequential model) {
      this.rows = rows;
      this.model = model;
    }

    @Override
    public boolean hasNext() {
      if (next < size) {
        return true;
      }
      size = 0;
      next = 0;
      while (size < CHUNK && rows.hasNext()) {
        in[size++] = rows.next();
      }
      if (size > 0) {
        scoreChunk();
      }
      return size > 0;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = out[next];
      out[next] = null;
      in[next++] = null;
      return r;
    }

    private void scoreChunk() {
      int width = spec.inputWidth();
      x = Matrix.reuse(x, size, width);
      for (int r = 0; r < size; r++) {
        readFeatures(in[r], x.data(), x.offset() + r * width, width, seen + r);
      }
      Matrix h = x;
      Matrix logits = null;
      Matrix activations = null;
      int last = model.size() - 1;
      for (int i = 0; i <= last; i++) {
        if (i == last) {
          logits = h;
        }
        h = model.get(i).forward(h);
        if (i == layer) {
          activations = h;
        }
      }
      boolean logProbabilities = model.get(last) instanceof LogSoftMax;
      for (int r = 0; r < size; r++) {
        Row row = in[r];
        Object[] values = new Object[row.length() + outputs.length];
        for (int c = 0; c < row.length(); c++) {
          values[c] = row.get(c);
        }
        double[] probability = null;
        for (int k = 0; k < outputs.length; k++) {
          Object v = switch (outputs[k]) {
            case RAW -> Vectors.dense(rowOf(logits, r));
            case PROBABILITY -> Vectors.dense(probability = probabilities(h, r, logProbabilities));
            case PREDICTION -> (double) predict(probability != null ? probability
                : probabilities(h, r, logProbabilities));
            case VALUE -> h.get(r, 0);
            case ACTIVATIONS -> Vectors.dense(rowOf(activations, r));
          };
          values[row.length() + k] = v;
        }
        out[r] = RowFactory.create(values);
      }
      seen += size;
    }

    private void readFeatures(Row row, double[] into, int at, int width, long rowIndex) {
      if (row.isNullAt(featuresIndex)) {
        throw new IllegalArgumentException("column '" + featuresCol + "' is null at row " + rowIndex
            + " of its partition; expected a vector of " + width + " features");
      }
      Vector v = row.getAs(featuresIndex);
      if (v.size() != width) {
        throw new IllegalArgumentException("column '" + featuresCol + "' holds a vector of " + v.size()
            + " features at row " + rowIndex + " of its partition; the model takes " + width);
      }
      if (v instanceof DenseVector d) {
        System.arraycopy(d.values(), 0, into, at, width);
      } else {
        Arrays.fill(into, at, at + width, 0.0);
        v.foreachActive((i, value) -> {
          into[at + (int) i] = (double) value;
          return null;
        });
      }
    }
  }

  private static double[] rowOf(Matrix m, int r) {
    return Arrays.copyOfRange(m.data(), m.offset() + r * m.cols(), m.offset() + (r + 1) * m.cols());
  }

  private static double[] probabilities(Matrix out, int r, boolean logProbabilities) {
    double[] p = rowOf(out, r);
    if (logProbabilities) {
      for (int c = 0; c < p.length; c++) {
        p[c] = Math.exp(p[c]);
      }
    }
    return p;
  }

  /** Spark's rule: the first class of highest probability, or of highest probability / threshold. */
  private int predict(double[] probability) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < probability.length; c++) {
      double score = thresholds == null ? probability[c]
          : thresholds[c] == 0 ? Double.POSITIVE_INFINITY : probability[c] / thresholds[c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  /** The index of module {@code layer} of {@code spec}, counting from the end when negative; refused if outside. */
  static int moduleIndex(ModelSpec spec, int layer) {
    int n = spec.layers().size();
    int i = layer < 0 ? n + layer : layer;
    if (i < 0 || i >= n) {
      throw new IllegalArgumentException("'activationsLayer' is " + layer + ", but the model has " + n
          + " layers " + spec.layers() + "; expected an index in [" + -n + ", " + n + ")");
    }
    return i;
  }
}
