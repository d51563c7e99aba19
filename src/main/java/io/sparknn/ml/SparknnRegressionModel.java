package io.sparknn.ml;

import io.sparknn.ml.NetworkScoring.Output;
import io.sparknn.nn.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link SparknnRegressor}: {@code transform} adds {@code prediction}, the network's one output, and
 * with {@code activationsCol} set the output of layer {@code activationsLayer} (an index into the model's
 * layers, negative from the end) as a vector; the executors score their partitions with the weights broadcast
 * once. Saved and loaded as {@link SparknnClassificationModel} is: Spark's params metadata, and a sparknn
 * model directory in {@code path/model}.
 */
public final class SparknnRegressionModel extends RegressionModel<Vector, SparknnRegressionModel>
    implements ActivationsParamsHolder<SparknnRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final transient TrainedNetwork network;
  private final double[] epochLosses;
  private final ActivationsParams params;

  SparknnRegressionModel(String uid, TrainedNetwork network, double[] epochLosses) {
    this(PendingUid.park(uid), network, epochLosses, true);
  }

  private SparknnRegressionModel(String uid, TrainedNetwork network, double[] epochLosses, boolean parked) {
    this.uid = PendingUid.take(uid);
    TableTraining.requireOneOutput(network.spec());
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

  /** Each epoch's mean training loss (mean squared error), from {@code fit}; empty for a loaded model. */
  public double[] epochLosses() {
    return epochLosses.clone();
  }

  @Override
  public double predict(Vector features) {
    return network.forward(features, network.spec().layers().size() - 1)[0];
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
      if (!in.getFieldIndex(f.name()).isDefined()) {
        outputs.add(f.name().equals(getPredictionCol()) ? Output.VALUE : Output.ACTIVATIONS);
      }
    }
    int layer = getActivationsCol().isEmpty() ? -1 : NetworkScoring.moduleIndex(network.spec(),
        getActivationsLayer());
    NetworkScoring scoring = new NetworkScoring(network.spec(), network.broadcast(dataset.sparkSession()
        .sparkContext()), in, getFeaturesCol(), outputs.toArray(new Output[0]), layer, null);
    return scoring.apply(dataset, out);
  }

  @Override
  public SparknnRegressionModel copy(ParamMap extra) {
    SparknnRegressionModel copy = new SparknnRegressionModel(uid(), network, epochLosses);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new NetworkModelWriter(this, network);
  }

  /** Reads a model saved with {@code write().save(path)}; Spark's {@code PipelineModel.load} calls it. */
  public static MLReader<SparknnRegressionModel> read() {
    return new NetworkModelReader<>(SparknnRegressionModel.class,
        (uid, network) -> new SparknnRegressionModel(uid, network, new double[0]));
  }

  public static SparknnRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "SparknnRegressionModel: uid=" + uid() + ", numFeatures=" + numFeatures() + ", layers="
        + network.spec().layers();
  }
}
