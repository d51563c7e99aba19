package io.sparknn.ml;

import io.sparknn.ml.NetworkScoring.Output;
import io.sparknn.nn.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link SparknnClassifier}: a sparknn network that ends with SoftMax (or LogSoftMax). {@code transform}
 * adds {@code rawPrediction} (the logits: the input of that last layer), {@code probability} and
 * {@code prediction}, computed by the executors partition by partition with the weights broadcast once
 * ({@link NetworkScoring}); with {@code activationsCol} set it also adds the output of layer
 * {@code activationsLayer} (an index into the model's layers, negative from the end) as a vector, e.g. a hidden
 * layer's features for the next stage. {@code write().save(path)} stores Spark's params metadata and, in
 * {@code path/model}, the sparknn model files; {@link #load} reads them, also as a stage of a saved
 * {@code PipelineModel}.
 */
public final class SparknnClassificationModel
    extends ProbabilisticClassificationModel<Vector, SparknnClassificationModel>
    implements ActivationsParamsHolder<SparknnClassificationModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final transient TrainedNetwork network;
  private final double[] epochLosses;
  private final ActivationsParams params;

  SparknnClassificationModel(String uid, TrainedNetwork network, double[] epochLosses) {
    this(PendingUid.park(uid), network, epochLosses, true);
  }

  private SparknnClassificationModel(String uid, TrainedNetwork network, double[] epochLosses, boolean parked) {
    this.uid = PendingUid.take(uid);
    TableTraining.classificationCriterion(network.spec());
    this.network = network;
    this.epochLosses = epochLosses.clone();
    params = new ActivationsParams(this);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(null);
    }
    return uid;
  }

  @Override
  public ActivationsParams activationsParams() {
    return params;
  }

  @Override
  public int numClasses() {
    return network.outputs();
  }

  @Override
  public int numFeatures() {
    return network.spec().inputWidth();
  }

  /** The model's layers as the configs write them. */
  public List<LayerSpec> layerSpecs() {
    return network.spec().layers();
  }

  /** A copy of the flat weights, then the running statistics (as {@code weights.bin} holds them). */
  public double[] weightsAndState() {
    return network.weightsAndState();
  }

  /** Each epoch's mean training loss, from {@code fit}; empty for a loaded model. */
  public double[] epochLosses() {
    return epochLosses.clone();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    StructType out = super.transformSchema(schema);
    if (!getActivationsCol().isEmpty()) {
      NetworkScoring.moduleIndex(network.spec(), getActivationsLayer());
      if (List.of(out.fieldNames()).contains(getActivationsCol())) {
        throw new IllegalArgumentException("column '" + getActivationsCol() + "' (activationsCol) already exists");
      }
      out = out.add(getActivationsCol(), SQLDataTypes.VectorType(), false);
    }
    return out;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    StructType in = dataset.schema();
    List<Output> outputs = new ArrayList<>();
    for (StructField f : out.fields()) {
      if (in.getFieldIndex(f.name()).isDefined()) {
        continue;
      }
      String name = f.name();
      outputs.add(name.equals(getRawPredictionCol()) ? Output.RAW : name.equals(getProbabilityCol())
          ? Output.PROBABILITY : name.equals(getPredictionCol()) ? Output.PREDICTION : Output.ACTIVATIONS);
    }
    int layer = getActivationsCol().isEmpty() ? -1 : NetworkScoring.moduleIndex(network.spec(),
        getActivationsLayer());
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
    NetworkScoring scoring = new NetworkScoring(network.spec(), network.broadcast(dataset.sparkSession()
        .sparkContext()), in, getFeaturesCol(), outputs.toArray(new Output[0]), layer, thresholds);
    return scoring.apply(dataset, out);
  }

  @Override
  public Vector predictRaw(Vector features) {
    return Vectors.dense(network.forward(features, network.spec().layers().size() - 2));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    if (rawPrediction instanceof DenseVector d) {
      ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace(softmaxInPlace(d));
      return d;
    }
    throw new IllegalArgumentException("raw predictions are dense vectors, got " + rawPrediction.getClass());
  }

  private static DenseVector softmaxInPlace(DenseVector d) {
    double[] v = d.values();
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.exp(v[i] - max);
    }
    return d;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public SparknnClassificationModel copy(ParamMap extra) {
    SparknnClassificationModel copy = new SparknnClassificationModel(uid(), network, epochLosses);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new NetworkModelWriter(this, network);
  }

  /** Reads a model saved with {@code write().save(path)}; Spark's {@code PipelineModel.load} calls it. */
  public static MLReader<SparknnClassificationModel> read() {
    return new NetworkModelReader<>(SparknnClassificationModel.class,
        (uid, network) -> new SparknnClassificationModel(uid, network, new double[0]));
  }

  public static SparknnClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "SparknnClassificationModel: uid=" + uid() + ", numFeatures=" + numFeatures() + ", numClasses="
        + numClasses() + ", layers=" + network.spec().layers();
  }
}
