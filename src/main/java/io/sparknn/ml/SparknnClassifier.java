package io.sparknn.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
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
 * A Spark ML estimator that trains a sparknn network as a classifier, usable wherever MLlib's
 * {@code MultilayerPerceptronClassifier} is: in a {@code Pipeline}, a {@code CrossValidator} or
 * {@code TrainValidationSplit} (its params are found by Spark's reflection, so {@code ParamGridBuilder} takes
 * them), saved and loaded with it. {@code fit} trains with {@code SparkTrainer} on the DataFrame's own
 * partitions (each becomes one cached block on its executor; the driver holds no rows) and returns a
 * {@link SparknnClassificationModel}.
 *
 * <p>Params with MLlib's names keep MLlib's meaning: {@code layers} (input width, hidden widths, classes),
 * {@code maxIter} (here: epochs), {@code stepSize}, {@code seed}, {@code solver} ({@code sgd}: SGD with
 * {@code momentum}; {@code adam}), and the column names. Beyond MLlib: {@code batchSize} (the global
 * mini-batch), {@code momentum}, {@code activation} (the hidden layers' type, default LeakyReLU) and
 * {@code modelSpec}, a whole layer list as the configs write it (YAML or JSON), for anything {@code layers}
 * cannot say; it must end with SoftMax or LogSoftMax. Labels are class indices {@code 0 .. classes-1}.
 */
public final class SparknnClassifier
    extends ProbabilisticClassifier<Vector, SparknnClassifier, SparknnClassificationModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NetworkParams params;

  public SparknnClassifier() {
    this(Identifiable$.MODULE$.randomUID("sparknnClassifier"));
  }

  /** With a given uid (Spark's {@code copy} and {@code load} call this). */
  public SparknnClassifier(String uid) {
    this(PendingUid.park(uid), true);
  }

  private SparknnClassifier(String uid, boolean parked) {
    this.uid = PendingUid.take(uid);
    params = new NetworkParams(this, "classes");
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

  public SparknnClassifier setLayers(int[] value) {
    return (SparknnClassifier) set(params.layers, value);
  }

  public SparknnClassifier setMaxIter(int value) {
    return (SparknnClassifier) set(params.maxIter, value);
  }

  public SparknnClassifier setStepSize(double value) {
    return (SparknnClassifier) set(params.stepSize, value);
  }

  public SparknnClassifier setBatchSize(int value) {
    return (SparknnClassifier) set(params.batchSize, value);
  }

  public SparknnClassifier setSeed(long value) {
    return (SparknnClassifier) set(params.seed, value);
  }

  public SparknnClassifier setSolver(String value) {
    return (SparknnClassifier) set(params.solver, value);
  }

  public SparknnClassifier setMomentum(double value) {
    return (SparknnClassifier) set(params.momentum, value);
  }

  public SparknnClassifier setActivation(String value) {
    return (SparknnClassifier) set(params.activation, value);
  }

  public SparknnClassifier setModelSpec(String value) {
    return (SparknnClassifier) set(params.modelSpec, value);
  }

  /** The params' values, checked together when {@code fit} starts. */
  NetworkSettings settings() {
    return params.settings(this, "SoftMax");
  }

  @Override
  public SparknnClassificationModel train(Dataset<?> dataset) {
    TableTraining.Trained t = TableTraining.classifier(dataset, getFeaturesCol(), getLabelCol(), settings());
    return new SparknnClassificationModel(uid(), new TrainedNetwork(t.spec(), t.weightsAndState()),
        t.epochLosses());
  }

  @Override
  public SparknnClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Reads an unfitted classifier saved with {@code write().save(path)} (or inside a saved Pipeline). */
  public static MLReader<SparknnClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static SparknnClassifier load(String path) {
    return read().load(path);
  }
}
