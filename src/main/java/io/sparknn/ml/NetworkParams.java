package io.sparknn.ml;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * The training params the sparknn estimators share, made for one owner (a param belongs to one estimator
 * instance) with their docs and validators, and set as the owner's defaults; {@link NetworkParamsHolder} exposes
 * each through an accessor of the param's name, a getter and a setter. MLlib's names keep MLlib's meaning,
 * except that {@code maxIter} counts epochs.
 */
final class NetworkParams implements Serializable {
  private static final long serialVersionUID = 1L;

  final IntArrayParam layers;
  final IntParam maxIter;
  final DoubleParam stepSize;
  final IntParam batchSize;
  final LongParam seed;
  final Param<String> solver;
  final DoubleParam momentum;
  final IntParam localSteps;
  final IntParam shards;
  final Param<String> activation;
  final Param<String> modelSpec;

  NetworkParams(Params owner, String outputs) {
    layers = new IntArrayParam(owner, "layers", "widths of the layers: input, hidden..., " + outputs,
        new LayerWidths());
    maxIter = new IntParam(owner, "maxIter", "epochs: passes over the training data (>= 1)",
        ParamValidators.gtEq(1));
    stepSize = new DoubleParam(owner, "stepSize", "learning rate (> 0)", ParamValidators.gt(0));
    batchSize = new IntParam(owner, "batchSize", "rows in a global mini-batch (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(owner, "seed", "random seed of initialisation and shuffles");
    solver = new Param<>(owner, "solver", "the optimizer: sgd (with momentum) or adam",
        ParamValidators.inArray(NetworkSettings.SOLVERS));
    momentum = new DoubleParam(owner, "momentum", "momentum of the sgd solver, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    localSteps = new IntParam(owner, "localSteps", "steps each partition takes on its own between two "
        + "synchronisations, local SGD (>= 1; 1: synchronous; above 1 needs the sgd solver)", ParamValidators.gtEq(1));
    shards = new IntParam(owner, "shards", "fixed row shards, the unit of gradient computation: 0 (off) or a power "
        + "of two; the same rows in the same order then give the same weights with any number of partitions, which "
        + "are cut into at most this many, each holding whole shards", new PowerOfTwoOrZero());
    activation = new Param<>(owner, "activation", "layer type between the Linear layers 'layers' makes, e.g. "
        + "LeakyReLU, ReLU, Tanh, Sigmoid, ELU");
    modelSpec = new Param<>(owner, "modelSpec", "the model as a layer list, YAML or JSON as in the configs "
        + "(instead of layers and activation)");
    defaults().forEach(pair -> setDefault(owner, pair));
  }

  // Scala's protected setDefault is public in bytecode, so the owner's defaults can be set from here.
  private static <T> void setDefault(Params owner, ParamPair<T> pair) {
    owner.setDefault(pair.param(), pair.value());
  }

  /**
   * The defaults: 10 epochs, step 0.1, batch 128, seed 42, sgd with momentum 0.9, synchronous (1 local step),
   * no shards, LeakyReLU, no modelSpec.
   */
  private List<ParamPair<?>> defaults() {
    return List.of(maxIter.w(10), stepSize.w(0.1), batchSize.w(128), seed.w(42L), solver.w("sgd"),
        momentum.w(0.9), localSteps.w(1), shards.w(0), activation.w("LeakyReLU"), modelSpec.w(""));
  }

  /** The owner's values, with {@code head} as the output layer {@code layers} ends with (null: none). */
  NetworkSettings settings(Params owner, String head) {
    int[] widths = owner.isDefined(layers) ? (int[]) owner.getOrDefault(layers) : new int[0];
    return new NetworkSettings(widths, owner.getOrDefault(modelSpec), owner.getOrDefault(activation), head,
        owner.getOrDefault(solver), (Double) owner.getOrDefault(stepSize), (Double) owner.getOrDefault(momentum),
        (Integer) owner.getOrDefault(batchSize), (Integer) owner.getOrDefault(maxIter),
        (Long) owner.getOrDefault(seed), (Integer) owner.getOrDefault(localSteps),
        (Integer) owner.getOrDefault(shards));
  }

  /** {@code layers}: at least an input and an output width, all positive. */
  private static final class LayerWidths extends AbstractFunction1<int[], Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(int[] widths) {
      if (widths.length < 2) {
        return false;
      }
      for (int w : widths) {
        if (w <= 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@code shards}: 0, or a power of two. Throws rather than answering false, so that the error says what was
   * expected where Spark's own would only say the value is invalid.
   */
  private static final class PowerOfTwoOrZero extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object value) {
      int s = (Integer) value;
      if (s != 0 && (s < 0 || Integer.bitCount(s) != 1)) {
        throw new IllegalArgumentException("'shards' is " + s + "; expected 0 (off) or a power of two");
      }
      return true;
    }
  }
}
