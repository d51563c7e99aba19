package io.sparknn.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training params of {@link SparknnClassifier} and {@link SparknnRegressor}: for each, an accessor of the
 * param's name (Spark finds these by reflection, so {@code ParamGridBuilder} and save/load take them), a getter
 * and a setter that returns the estimator itself ({@code T}) for chaining. Written once here because both
 * estimators already extend different Spark base classes. It is public because Spark invokes the accessors
 * reflectively from its own package, which a package-private interface would refuse.
 *
 * @param <T> the estimator's own type, returned by the setters
 */
public interface NetworkParamsHolder<T extends NetworkParamsHolder<T>> extends Params {

  /** The param objects this estimator was made with; internal, not for users. */
  NetworkParams networkParams();

  /** Widths of the layers: input, hidden..., output. */
  default IntArrayParam layers() {
    return networkParams().layers;
  }

  /** Epochs: passes over the training data. */
  default IntParam maxIter() {
    return networkParams().maxIter;
  }

  /** The learning rate. */
  default DoubleParam stepSize() {
    return networkParams().stepSize;
  }

  /** Rows in a global mini-batch. */
  default IntParam batchSize() {
    return networkParams().batchSize;
  }

  /** Random seed of initialisation and shuffles. */
  default LongParam seed() {
    return networkParams().seed;
  }

  /** The optimizer: {@code sgd} (with momentum) or {@code adam}. */
  default Param<String> solver() {
    return networkParams().solver;
  }

  /** Momentum of the sgd solver. */
  default DoubleParam momentum() {
    return networkParams().momentum;
  }

  /** Steps each partition takes on its own between two synchronisations (local SGD; 1: synchronous). */
  default IntParam localSteps() {
    return networkParams().localSteps;
  }

  /** Fixed row shards: 0 (off) or a power of two. */
  default IntParam shards() {
    return networkParams().shards;
  }

  /** Layer type between the Linear layers that {@code layers} makes. */
  default Param<String> activation() {
    return networkParams().activation;
  }

  /** The model as a layer list, YAML or JSON as in the configs (instead of layers and activation). */
  default Param<String> modelSpec() {
    return networkParams().modelSpec;
  }

  /** The layer widths; empty when not set. */
  default int[] getLayers() {
    return isDefined(layers()) ? $(layers()) : new int[0];
  }

  /** The number of epochs. */
  default int getMaxIter() {
    return (Integer) $(maxIter());
  }

  /** The learning rate. */
  default double getStepSize() {
    return (Double) $(stepSize());
  }

  /** The global mini-batch size. */
  default int getBatchSize() {
    return (Integer) $(batchSize());
  }

  /** The random seed. */
  default long getSeed() {
    return (Long) $(seed());
  }

  /** The optimizer's name. */
  default String getSolver() {
    return $(solver());
  }

  /** The sgd momentum. */
  default double getMomentum() {
    return (Double) $(momentum());
  }

  /** The local steps between two synchronisations. */
  default int getLocalSteps() {
    return (Integer) $(localSteps());
  }

  /** The fixed row shards; 0 when off. */
  default int getShards() {
    return (Integer) $(shards());
  }

  /** The hidden layers' type. */
  default String getActivation() {
    return $(activation());
  }

  /** The layer list; empty when not set. */
  default String getModelSpec() {
    return $(modelSpec());
  }

  /** Sets the layer widths (at least input and output, all positive). */
  default T setLayers(int[] value) {
    return self(set(layers(), value));
  }

  /** Sets the number of epochs (>= 1). */
  default T setMaxIter(int value) {
    return self(set(maxIter(), value));
  }

  /** Sets the learning rate (> 0). */
  default T setStepSize(double value) {
    return self(set(stepSize(), value));
  }

  /** Sets the global mini-batch size (>= 1). */
  default T setBatchSize(int value) {
    return self(set(batchSize(), value));
  }

  /** Sets the random seed. */
  default T setSeed(long value) {
    return self(set(seed(), value));
  }

  /** Sets the optimizer: {@code sgd} or {@code adam}. */
  default T setSolver(String value) {
    return self(set(solver(), value));
  }

  /** Sets the sgd momentum, in [0, 1). */
  default T setMomentum(double value) {
    return self(set(momentum(), value));
  }

  /**
   * Sets the steps each partition takes on its own between two synchronisations (>= 1; above 1 needs the sgd
   * solver): local SGD, the driver stepping its momentum once a round with the partitions' mean displacement.
   */
  default T setLocalSteps(int value) {
    return self(set(localSteps(), value));
  }

  /**
   * Sets the fixed row shards (0: off; else a power of two, at most the rows): the rows, in the order the
   * DataFrame's partitions hold them, are cut into that many contiguous shards, each a unit of gradient
   * computation summed along one fixed tree, and regrouped into at most that many partitions of whole shards; the
   * same rows in the same order then end in the same bits whatever the DataFrame's partitioning. Synchronous only
   * ({@code localSteps} 1).
   */
  default T setShards(int value) {
    return self(set(shards(), value));
  }

  /** Sets the hidden layers' type, e.g. LeakyReLU, ReLU, Tanh. */
  default T setActivation(String value) {
    return self(set(activation(), value));
  }

  /** Sets the model as a layer list (YAML or JSON). */
  default T setModelSpec(String value) {
    return self(set(modelSpec(), value));
  }

  // Spark's set returns this; T is this object's own class by the type parameter's contract.
  @SuppressWarnings("unchecked")
  private T self(Params updated) {
    return (T) updated;
  }
}
