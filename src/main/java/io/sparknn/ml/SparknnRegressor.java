package io.sparknn.ml;

import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
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
    implements DefaultParamsWritable {
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
    params.defaults().forEach(this::setDefault);
  }

  private <T> void setDefault(ParamPair<T> pair) {
    setDefault(pair.param(), pair.value());
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(null);
    }
    return uid;
  }

  public IntArrayParam layers() {
    return params.layers;
  }

  public IntParam maxIter() {
    return params.maxIter;
  }

  public DoubleParam stepSize() {
    return params.stepSize;
  }

  public IntParam batchSize() {
    return params.batchSize;
  }

  public LongParam seed() {
    return params.seed;
  }

  public Param<String> solver() {
    return params.solver;
  }

  public DoubleParam momentum() {
    return params.momentum;
  }

  public Param<String> activation() {
    return params.activation;
  }

  public Param<String> modelSpec() {
    return params.modelSpec;
  }

  public int[] getLayers() {
    return isDefined(params.layers) ? (int[]) $(params.layers) : new int[0];
  }

  public int getMaxIter() {
    return (Integer) $(params.maxIter);
  }

  public double getStepSize() {
    return (Double) $(params.stepSize);
  }

  public int getBatchSize() {
    return (Integer) $(params.batchSize);
  }

  public long getSeed() {
    return (Long) $(params.seed);
  }

  public String getSolver() {
    return $(params.solver);
  }

  public double getMomentum() {
    return (Double) $(params.momentum);
  }

  public String getActivation() {
    return $(params.activation);
  }

  public String getModelSpec() {
    return $(params.modelSpec);
  }

  public SparknnRegressor setLayers(int[] value) {
    return (SparknnRegressor) set(params.layers, value);
  }

  public SparknnRegressor setMaxIter(int value) {
    return (SparknnRegressor) set(params.maxIter, value);
  }

  public SparknnRegressor setStepSize(double value) {
    return (SparknnRegressor) set(params.stepSize, value);
  }

  public SparknnRegressor setBatchSize(int value) {
    return (SparknnRegressor) set(params.batchSize, value);
  }

  public SparknnRegressor setSeed(long value) {
    return (SparknnRegressor) set(params.seed, value);
  }

  public SparknnRegressor setSolver(String value) {
    return (SparknnRegressor) set(params.solver, value);
  }

  public SparknnRegressor setMomentum(double value) {
    return (SparknnRegressor) set(params.momentum, value);
  }

  public SparknnRegressor setActivation(String value) {
    return (SparknnRegressor) set(params.activation, value);
  }

  public SparknnRegressor setModelSpec(String value) {
    return (SparknnRegressor) set(params.modelSpec, value);
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

  /** Reads an unfitted classifier saved with {@code write().save(path)} (or inside a saved Pipeline). */
  public static MLReader<SparknnRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static SparknnRegressor load(String path) {
    return read().load(path);
  }
}
