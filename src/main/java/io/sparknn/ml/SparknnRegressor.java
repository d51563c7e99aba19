package io.sparknn.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A Spark ML estimator that trains a sparknn network for a real-valued label (regression, mean squared error),
 * as {@link SparknnClassifier} does for classes: {@code fit} trains with {@code SparkTrainer} on the
 * DataFrame's partitions and returns a {@link SparknnRegressionModel}. The params are the classifier's;
 * {@code layers} ends with 1 (the one output, with no layer after the last Linear), and a {@code modelSpec}
 * must give one output per row.
 */
public final class SparknnRegressor
    extends Regressor<Vector, SparknnRegressor, SparknnRegressionModel>
    implements NetworkParamsHolder<SparknnRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NetworkParams params;

  public SparknnRegressor() {
    this(Identifiable$.MODULE$.randomUID("sparknnRegressor"));
  }

  /** With a given uid (Spark's {@code copy} and {@code load} call this). */
  public SparknnRegressor(String uid) {
    this(PendingUid.park(uid), true);
  }

  private SparknnRegressor(String uid, boolean parked) {
    this.uid = PendingUid.take(uid);
    params = new NetworkParams(this, "1 output");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(null);
    }
    return uid;
  }

  @Override
  public NetworkParams networkParams() {
    return params;
  }

  /** The params' values, checked together when {@code fit} starts. */
  NetworkSettings settings() {
    return params.settings(this, null);
  }

  @Override
  public SparknnRegressionModel train(Dataset<?> dataset) {
    TableTraining.Trained t = TableTraining.regressor(dataset, getFeaturesCol(), getLabelCol(), settings());
    return new SparknnRegressionModel(uid(), new TrainedNetwork(t.spec(), t.weightsAndState()),
        t.epochLosses());
  }

  @Override
  public SparknnRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Reads an unfitted regressor saved with {@code write().save(path)} (or inside a saved Pipeline). */
  public static MLReader<SparknnRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static SparknnRegressor load(String path) {
    return read().load(path);
  }
}
