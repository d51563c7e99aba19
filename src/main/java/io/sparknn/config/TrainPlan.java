package io.sparknn.config;

import io.sparknn.data.Augmentation;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.Shape;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.Adam;
import io.sparknn.optim.ExponentialDecay;
import io.sparknn.optim.LearningRateSchedule;
import io.sparknn.optim.LinearWarmup;
import io.sparknn.optim.Optimizer;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.optim.StepDecay;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import java.util.Locale;

/**
 * A validated {@link TrainConfig} turned into the objects the trainers take. Every check happens here, before
 * Spark starts, and each failure is a {@link ConfigException} naming the key, the value and what is allowed.
 *
 * @param config the resolved config
 * @param model the model for {@code inputWidth} inputs
 * @param initialModel the model built from {@code model} and initialised from the config's seed (built once,
 *     while validating; a trainer starts from it and updates it in place)
 * @param criterion the criterion
 * @param target what the output is compared with
 * @param options the loop's options
 */
public record TrainPlan(TrainConfig config, ModelSpec model, Sequential initialModel, CriterionSpec criterion,
    Target target, TrainingOptions options) {

  /** Image side of MNIST, which the sweeps check their trial configs against (they read MNIST-style IDX). */
  public static final int IMAGE_SIDE = 28;

  /** Validates {@code c} for data of {@code inputWidth} features; {@code source} names the file in messages. */
  public static TrainPlan of(TrainConfig c, int inputWidth, String source) {
    return of(c, inputWidth, 0, source);
  }

  /**
   * Validates {@code c} for data of {@code inputWidth} features and {@code classes} classes (0: not known here),
   * so that a model whose output does not fit the target is refused before Spark starts.
   */
  public static TrainPlan of(TrainConfig c, int inputWidth, int classes, String source) {
    if (c.model() == null || c.model().isEmpty()) {
      throw new ConfigException(source + ": key 'model' is required: a list of layers, e.g. "
          + "[{type: Linear, out: 10}, {type: SoftMax}]");
    }
    positive(source, "batch_size", c.batchSize());
    // Zero epochs would write a finished run around an untrained model.
    positive(source, "epochs", c.epochs());
    DataConfig d = c.data();
    atLeast(source, "data.validation", d.validation(), 0);
    atLeast(source, "data.partitions", d.partitions(), 0);
    atLeast(source, "data.limit", d.limit(), 0);
    CheckpointConfig ck = c.checkpoint();
    atLeast(source, "checkpoint.every_iterations", ck.everyIterations(), 0);
    positive(source, "checkpoint.keep", ck.keep());

    Integer declared = c.model().get(0).in();
    if (declared != null && declared != inputWidth) {
      throw new ConfigException(source + ": key 'model.0.in' is " + declared + ", but the data has " + inputWidth
          + " features per row; change 'model.0.in' (or leave it out) or the data");
    }
    Shape inputShape = inputShape(c.inputShape(), inputWidth, source);
    ModelSpec model;
    Sequential initialModel;
    try {
      model = new ModelSpec(inputWidth, c.model(), inputShape);
      initialModel = model.build(c.seed());
    } catch (IllegalArgumentException e) {
      // A layer's error starts with its key (model.N), the index an override uses.
      String m = e.getMessage();
      throw new ConfigException(source + ": key " + (m.startsWith("model.") ? "'" + m.substring(0, m.indexOf(':'))
          + "'" + m.substring(m.indexOf(':')) : "'model': " + m), e);
    }
    int outputs = initialModel.outputSize(inputWidth);
    CriterionSpec criterion;
    try {
      criterion = new CriterionSpec(c.criterion());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": key 'criterion': " + e.getMessage(), e);
    }
    Target target = switch (c.target().toLowerCase(Locale.ROOT)) {
      case "classes" -> Target.CLASSES;
      case "input" -> Target.INPUT;
      default -> throw new ConfigException(source + ": key 'target' is '" + c.target()
          + "'; expected one of [classes, input]");
    };
    if (target == Target.CLASSES && classes > 0 && outputs != classes) {
      throw new ConfigException(source + ": key 'model': the model gives " + outputs + " outputs per row, but the "
          + "data has " + classes + " classes; the last Linear's 'out' must be " + classes);
    }
    if (target == Target.INPUT && outputs != inputWidth) {
      throw new ConfigException(source + ": key 'model': the model gives " + outputs + " outputs per row, but "
          + "'target: input' compares them with the " + inputWidth + " input features; make them equal");
    }
    OptimizerConfig o = c.optimizer();
    finitePositive(source, "optimizer.lr", o.lr());
    optimizer(o, source);
    if (!(o.clipNorm() >= 0) || Double.isInfinite(o.clipNorm())) {
      throw new ConfigException(source + ": key 'optimizer.clip_norm' is " + o.clipNorm()
          + "; expected a number >= 0 (0 turns clipping off)");
    }
    LearningRateSchedule schedule = schedule(o.schedule(), source);
    Augmentation augmentation = null;
    if (d.augmentation() != null) {
      DataConfig.AugmentationConfig a = d.augmentation();
      // Images are square: the side comes from the data's width.
      int side = (int) Math.round(Math.sqrt(inputWidth));
      if (side * side != inputWidth) {
        throw new ConfigException(source + ": key 'data.augmentation' needs square images, but the data has "
            + inputWidth + " features per row, not a square number");
      }
      if (!(a.shift() >= 0 && a.shift() <= side / 2.0)) {
        throw new ConfigException(source + ": key 'data.augmentation.shift' is " + a.shift()
            + "; expected pixels in [0, " + side / 2 + "]");
      }
      if (!(a.rotate() >= 0 && a.rotate() <= 180)) {
        throw new ConfigException(source + ": key 'data.augmentation.rotate' is " + a.rotate()
            + "; expected degrees in [0, 180]");
      }
      augmentation = new Augmentation(side, side, a.shift(), a.rotate());
    }
    int shards = c.shards();
    if (shards < 0 || (shards > 0 && Integer.bitCount(shards) != 1)) {
      throw new ConfigException(source + ": key 'shards' is " + shards + "; expected 0 (off) or a power of two "
          + "(1, 2, 4, ..., 64, ...)");
    }
    checkPartitions(source, d.partitions(), shards);
    checkLocalSteps(source, o, shards);
    TrainingOptions options = new TrainingOptions(c.batchSize(), c.epochs(), o.lr(), schedule, c.seed(),
        augmentation, o.clipNorm(), shards, o.localSteps());
    return new TrainPlan(c, model, initialModel, criterion, target, options);
  }

  /**
   * Refuses {@code partitions} (the value of {@code data.partitions}, or the count Spark's parallelism gave) above
   * {@code shards} fixed row shards: each partition must hold whole shards.
   */
  public static void checkPartitions(String source, int partitions, int shards) {
    if (shards > 0 && partitions > shards) {
      throw new ConfigException(source + ": key 'data.partitions' is " + partitions + ", but 'shards: " + shards
          + "' needs at most " + shards + " partitions, so that each holds whole shards");
    }
  }

  /**
   * Refuses {@code optimizer.local_steps} below 1, and above 1 with what a round of local steps cannot honour: an
   * optimizer other than SGD, fixed row shards.
   */
  private static void checkLocalSteps(String source, OptimizerConfig o, int shards) {
    int k = o.localSteps();
    if (k < 1) {
      throw new ConfigException(source + ": key 'optimizer.local_steps' is " + k + "; expected an integer >= 1 "
          + "(1: synchronous SGD, K > 1: K steps on each partition between synchronisations)");
    }
    if (k == 1) {
      return;
    }
    String why = !o.type().equalsIgnoreCase("sgd") ? "'optimizer.type' is '" + o.type() + "'; the driver steps "
        + "with each round's mean displacement, which only 'sgd' moves the weights by"
        : shards != 0 ? "'shards' is " + shards + "; each partition's own steps depend on how many partitions "
        + "there are, which the shards exist to rule out: set it to 0"
        : null;
    if (why != null) {
      throw new ConfigException(source + ": key 'optimizer.local_steps' is " + k + ", but " + why);
    }
  }

  /** The config's {@code input_shape}, checked against the data's width; null when not given (flat rows). */
  private static Shape inputShape(List<Integer> dims, int inputWidth, String source) {
    if (dims == null) {
      return null;
    }
    Shape shape;
    try {
      shape = new Shape(dims);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(source + ": key 'input_shape' is " + dims + "; expected positive sizes, e.g. "
          + "[1, 28, 28] (channels, height, width)", e);
    }
    if (shape.features() != inputWidth) {
      throw new ConfigException(source + ": key 'input_shape' is " + shape + " = " + shape.features()
          + " features per row, but the data has " + inputWidth + "; the sizes must multiply to the data's width");
    }
    return shape;
  }

  /** A fresh optimizer as the config describes it. */
  public Optimizer newOptimizer() {
    return optimizer(config.optimizer(), "config");
  }

  private static Optimizer optimizer(OptimizerConfig o, String source) {
    String type = o.type().toLowerCase(Locale.ROOT);
    try {
      return switch (type) {
        case "sgd" -> new SgdMomentum(o.momentum(), o.nesterov(), o.weightDecay());
        case "adam" -> new Adam(o.beta1(), o.beta2(), o.eps(), o.weightDecay());
        default -> throw new ConfigException(source + ": key 'optimizer.type' is '" + o.type()
            + "'; expected one of [sgd, adam]");
      };
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": key 'optimizer': " + e.getMessage(), e);
    }
  }

  private static LearningRateSchedule schedule(OptimizerConfig.ScheduleConfig s, String source) {
    LearningRateSchedule base;
    try {
      base = switch (s.type().toLowerCase(Locale.ROOT)) {
        case "constant" -> LearningRateSchedule.constant();
        case "step" -> new StepDecay(s.factor(), s.every());
        case "exponential" -> new ExponentialDecay(s.gamma());
        default -> throw new ConfigException(source + ": key 'optimizer.schedule.type' is '" + s.type()
            + "'; expected one of " + List.of("constant", "step", "exponential"));
      };
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": key 'optimizer.schedule': " + e.getMessage(), e);
    }
    atLeast(source, "optimizer.schedule.warmup_iterations", s.warmupIterations(), 0);
    return s.warmupIterations() > 0 ? new LinearWarmup(s.warmupIterations(), base) : base;
  }

  private static void positive(String source, String key, int v) {
    atLeast(source, key, v, 1);
  }

  private static void atLeast(String source, String key, int v, int min) {
    if (v < min) {
      throw new ConfigException(source + ": key '" + key + "' is " + v + "; expected an integer >= " + min);
    }
  }

  private static void finitePositive(String source, String key, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new ConfigException(source + ": key '" + key + "' is " + v + "; expected a number > 0");
    }
  }
}
