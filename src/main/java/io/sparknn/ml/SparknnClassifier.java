package io.sparknn.ml;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
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
 * mini-batch), {@code momentum}, {@code localSteps} (local SGD, 1 by default), {@code activation} (the hidden
 * layers' type, default LeakyReLU) and {@code modelSpec}, a whole layer list as the configs write it (YAML or
 * JSON), for anything {@code layers} cannot say; it must end with SoftMax or LogSoftMax. Labels are class
 * indices {@code 0 .. classes-1}.
 */
public final class SparknnClassifier
    extends ProbabilisticClassifier<Vector, SparknnClassifier, SparknnClassificationModel>
    implements NetworkParamsHolder<SparknnClassifier>, DefaultParamsWritable {
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
