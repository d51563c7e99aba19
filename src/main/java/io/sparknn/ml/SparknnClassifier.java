package io.sparknn.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
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
  private final IntArrayParam layers;
  private final IntParam maxIter;
  private final DoubleParam stepSize;
  private final IntParam batchSize;
  private final LongParam seed;
  private final Param<String> solver;
  private final DoubleParam momentum;
  private final Param<String> activation;
  private final Param<String> modelSpec;

  public SparknnClassifier() {
    this(Identifiable$.MODULE$.randomUID("sparknnClassifier"));
  }

  /** With a given uid (Spark's {@code copy} and {@code load} call this). */
  public SparknnClassifier(String uid) {
    this(PendingUid.park(uid), true);
  }

  private SparknnClassifier(String uid, boolean parked) {
    this.uid = PendingUid.take(uid);
    layers = new IntArrayParam(this, "layers", "widths of the layers: input, hidden..., classes",
        NetworkParams.layersValidator());
    maxIter = new IntParam(this, "maxIter", "epochs: passes over the training data (>= 1)",
        ParamValidators.gtEq(1));
    stepSize = new DoubleParam(this, "stepSize", "learning rate (> 0)", ParamValidators.gt(0));
    batchSize = new IntParam(this, "batchSize", "rows in a global mini-batch (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(this, "seed", "random seed of initialisation and shuffles");
    solver = new Param<>(this, "solver", "the optimizer: sgd (with momentum) or adam",
        ParamValidators.inArray(NetworkSettings.SOLVERS));
    momentum = new DoubleParam(this, "momentum", "momentum of the sgd solver, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    activation = new Param<>(this, "activation", "layer type between the Linear layers 'layers' makes, e.g. "
        + "LeakyReLU, ReLU, Tanh, Sigmoid, ELU");
    modelSpec = new Param<>(this, "modelSpec", "the model as a layer list, YAML or JSON as in the configs "
        + "(instead of layers); must end with SoftMax or LogSoftMax");
    setDefault(maxIter, 10);
    setDefault(stepSize, 0.1);
    setDefault(batchSize, 128);
    setDefault(seed, 42L);
    setDefault(solver, "sgd");
    setDefault(momentum, 0.9);
    setDefault(activation, "LeakyReLU");
    setDefault(modelSpec, "");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(null);
    }
    return uid;
  }

  public IntArrayParam layers() {
    return layers;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam stepSize() {
    return stepSize;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> solver() {
    return solver;
  }

  public DoubleParam momentum() {
    return momentum;
  }

  public Param<String> activation() {
    return activation;
  }

  public Param<String> modelSpec() {
    return modelSpec;
  }

  public int[] getLayers() {
    return isDefined(layers) ? (int[]) $(layers) : new int[0];
  }

  public int getMaxIter() {
    return (Integer) $(maxIter);
  }

  public double getStepSize() {
    return (Double) $(stepSize);
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  public long getSeed() {
    return (Long) $(seed);
  }

  public String getSolver() {
    return $(solver);
  }

  public double getMomentum() {
    return (Double) $(momentum);
  }

  public String getActivation() {
    return $(activation);
  }

  public String getModelSpec() {
    return $(modelSpec);
  }

  public SparknnClassifier setLayers(int[] value) {
    return (SparknnClassifier) set(layers, value);
  }

  public SparknnClassifier setMaxIter(int value) {
    return (SparknnClassifier) set(maxIter, value);
  }

  public SparknnClassifier setStepSize(double value) {
    return (SparknnClassifier) set(stepSize, value);
  }

  public SparknnClassifier setBatchSize(int value) {
    return (SparknnClassifier) set(batchSize, value);
  }

  public SparknnClassifier setSeed(long value) {
    return (SparknnClassifier) set(seed, value);
  }

  public SparknnClassifier setSolver(String value) {
    return (SparknnClassifier) set(solver, value);
  }

  public SparknnClassifier setMomentum(double value) {
    return (SparknnClassifier) set(momentum, value);
  }

  public SparknnClassifier setActivation(String value) {
    return (SparknnClassifier) set(activation, value);
  }

  public SparknnClassifier setModelSpec(String value) {
    return (SparknnClassifier) set(modelSpec, value);
  }

  /** The params' values, checked together when {@code fit} starts. */
  NetworkSettings settings() {
    return new NetworkSettings(getLayers(), getModelSpec(), getActivation(), "SoftMax", getSolver(),
        getStepSize(), getMomentum(), getBatchSize(), getMaxIter(), getSeed());
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
