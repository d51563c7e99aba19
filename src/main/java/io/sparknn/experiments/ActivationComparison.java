package io.sparknn.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.config.OptimizerConfig;
import io.sparknn.config.OutputConfig;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.report.Charts;
import io.sparknn.report.Table;
import io.sparknn.run.JobMain;
import io.sparknn.run.PreparedData;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import io.sparknn.train.spark.SparkTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The homework's activation comparison on Spark: one MLP architecture, data split, seed, optimizer and budget,
 * with each hidden activation (ReLU, ELU, LeakyReLU, SoftPlus by default) alone, with
 * {@code BatchMeanSubtraction} and with {@code BatchNormalization} after every hidden Linear layer. The
 * variants are independent, so {@code concurrency} of them train at once from driver threads, each in its own
 * FAIR scheduler pool: while one variant's driver sums gradients and steps its optimizer, another's tasks use
 * the executors. Leaves {@code results.csv/.md} (final test accuracy, best validation accuracy, the epoch and
 * seconds at which validation accuracy first reached the target), {@code timing.csv/.md} (wall time against
 * the sum of the variants' own times) and {@code validation-accuracy.png} with every variant's curve.
 * Run: {@code jobs/compare-activations.sh [conf/compare-activations.yaml] [key=value ...]}.
 */
public final class ActivationComparison {
  /** The normalisation spelled {@code none}: Linear straight into the activation. */
  public static final String NONE = "none";

  /**
   * The comparison's settings, on the training configs' schema where they share a setting ({@code data},
   * {@code optimizer}, {@code batch_size}, {@code epochs}, {@code output}).
   *
   * @param name run name
   * @param seed seed of initialisation, shuffles and the validation split
   * @param data data set, validation rows, partitions, limit
   * @param hidden widths of the hidden layers
   * @param activations activation layer types to compare
   * @param normalizations {@code none}, {@code BatchMeanSubtraction}, {@code BatchNormalization}
   * @param optimizer update rule and schedule of every variant, as in a training config
   * @param batchSize global mini-batch size
   * @param epochs budget of every variant
   * @param targetAccuracy validation accuracy whose first epoch and time are reported
   * @param concurrency variants trained at once
   * @param output where the run directory goes
   */
  public record Config(String name, Long seed, DataConfig data, List<Integer> hidden, List<String> activations,
      List<String> normalizations, OptimizerConfig optimizer, @JsonProperty("batch_size") Integer batchSize,
      Integer epochs, @JsonProperty("target_accuracy") Double targetAccuracy, Integer concurrency,
      OutputConfig output) {
    public Config {
      name = name == null ? "compare-activations" : name;
      seed = seed == null ? 42L : seed;
      data = data == null ? DataConfig.DEFAULT : data;
      hidden = hidden == null ? List.of(196, 98) : hidden;
      activations = activations == null ? List.of("ReLU", "ELU", "LeakyReLU", "SoftPlus") : activations;
      normalizations = normalizations == null ? List.of(NONE, "BatchMeanSubtraction", "BatchNormalization")
          : normalizations;
      optimizer = optimizer == null ? OptimizerConfig.DEFAULT : optimizer;
      batchSize = batchSize == null ? 128 : batchSize;
      epochs = epochs == null ? 3 : epochs;
      targetAccuracy = targetAccuracy == null ? 0.97 : targetAccuracy;
      concurrency = concurrency == null ? 2 : concurrency;
      output = output == null ? OutputConfig.DEFAULT : output;
    }
  }

  /** Keys of the old flat schema and where each went. */
  static final Map<String, String> MOVED_KEYS = Map.of("lr", "optimizer.lr", "momentum", "optimizer.momentum");

  /** One model to train: its label, activation, normalisation and spec. */
  record Variant(String label, String activation, String normalization, ModelSpec spec) {}

  /** What one variant reached. */
  record Outcome(Variant variant, TrainingHistory history, Evaluation test, double seconds) {}

  private ActivationComparison() {}

  public static void main(String[] args) {
    JobMain.exit("ActivationComparison", () -> run(args, null));
  }

  /** The variants of {@code c} for {@code inputWidth} features and 10 classes, activation by activation. */
  static List<Variant> variants(Config c, int inputWidth) {
    return variants(c, inputWidth, 10);
  }

  /** The variants of {@code c} for {@code inputWidth} features and {@code classes} classes. */
  static List<Variant> variants(Config c, int inputWidth, int classes) {
    if (c.hidden().isEmpty() || c.activations().isEmpty() || c.normalizations().isEmpty()) {
      throw new ConfigException("keys 'hidden', 'activations' and 'normalizations' must each list at least one "
          + "entry");
    }
    List<Variant> out = new ArrayList<>();
    for (String activation : c.activations()) {
      String act = LayerSpec.canonicalType(activation);
      for (String norm : c.normalizations()) {
        String n = List.of(NONE, "BatchMeanSubtraction", "BatchNormalization").stream()
            .filter(k -> k.equalsIgnoreCase(norm)).findFirst()
            .orElseThrow(() -> new ConfigException("key 'normalizations': '" + norm + "' is not one of [none, "
                + "BatchMeanSubtraction, BatchNormalization]"));
        List<LayerSpec> layers = new ArrayList<>();
        int width = inputWidth;
        for (int h : c.hidden()) {
          layers.add(LayerSpec.linear(width, h));
          if (!n.equals(NONE)) {
            layers.add(LayerSpec.of(n));
          }
          layers.add(LayerSpec.of(act));
          width = h;
        }
        layers.add(LayerSpec.linear(width, classes));
        layers.add(LayerSpec.of("SoftMax"));
        String label = act + (n.equals(NONE) ? "" : n.equals("BatchMeanSubtraction") ? " + BMS" : " + BN");
        ModelSpec spec;
        try {
          spec = new ModelSpec(inputWidth, layers);
          spec.build(c.seed());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("variant " + label + ": " + e.getMessage(), e);
        }
        out.add(new Variant(label, act, n, spec));
      }
    }
    return out;
  }

  /** Runs in {@code existing} (left running) or in a Spark session of its own; returns the run directory. */
  public static Path run(String[] args, JavaSparkContext existing) {
    Config c = ExperimentConfigs.load(args, Config.class,
        "ActivationComparison --config conf/compare-activations.yaml [--set key=value ...]", MOVED_KEYS);
    if (c.epochs() < 1 || c.batchSize() < 1 || c.concurrency() < 1) {
      throw new ConfigException("keys 'epochs', 'batch_size', 'concurrency' must be >= 1; got "
          + c.epochs() + ", " + c.batchSize() + ", " + c.concurrency());
    }
    PreparedData local = MnistData.read(c.data(), c.seed());
    List<Variant> variants = variants(c, local.train().cols(), local.train().classes());
    // The optimizer is checked once, before Spark starts; each variant gets a fresh one from its own plan.
    plan(c, variants.get(0));
    ExperimentRun run = ExperimentRun.create(c.output().dir(), c.output().run(), c.name());
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn " + c.name());
    ExecutorService pool = Executors.newFixedThreadPool(c.concurrency());
    try (MnistData data = MnistData.distribute(sc, local, c.data().partitions())) {
      long start = System.nanoTime();
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Variant v : variants) {
        futures.add(pool.submit(() -> train(sc, v, c, data)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(await(f));
      }
      double wall = (System.nanoTime() - start) / 1e9;
      report(run, c, outcomes, wall);
      run.finish();
      return run.path();
    } finally {
      pool.shutdownNow();
      if (existing == null) {
        sc.stop();
      }
    }
  }

  private static Outcome train(JavaSparkContext sc, Variant v, Config c, MnistData data) {
    // Jobs submitted from this thread share the executors fairly with the other variants' (FAIR mode).
    sc.setLocalProperty("spark.scheduler.pool", v.label().replaceAll("[^A-Za-z0-9]+", "-"));
    long start = System.nanoTime();
    TrainingHistory history = new TrainingHistory(v.label());
    TrainPlan plan = plan(c, v);
    SparkTrainer trainer = new SparkTrainer(sc, v.spec(), v.spec().build(c.seed()), plan.criterion(),
        plan.target(), plan.newOptimizer(), plan.options());
    trainer.fit(data.train(), data.validation(), history);
    Evaluation test = trainer.evaluate(data.test());
    return new Outcome(v, history, test, (System.nanoTime() - start) / 1e9);
  }

  /** The plan of variant {@code v} under {@code c}: the checks and optimizer a training config gets. */
  static TrainPlan plan(Config c, Variant v) {
    TrainConfig tc = new TrainConfig(c.name(), c.seed(), DataConfig.DEFAULT, v.spec().layers(), "ClassNLL",
        "classes", c.optimizer(), c.batchSize(), c.epochs(), null, null);
    return TrainPlan.of(tc, v.spec().inputWidth(), "compare-activations config");
  }

  private static Outcome await(Future<Outcome> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a variant", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void report(ExperimentRun run, Config c, List<Outcome> outcomes, double wall) {
    String target = String.format("%.0f", 100 * c.targetAccuracy());
    Table results = new Table(List.of("variant", "activation", "normalization", "final_test_accuracy",
        "best_val_accuracy", "best_val_epoch", "epoch_to_" + target, "seconds_to_" + target, "seconds"));
    Map<String, double[][]> curves = new LinkedHashMap<>();
    double sumSeconds = 0;
    for (Outcome o : outcomes) {
      double best = Double.NEGATIVE_INFINITY;
      int bestEpoch = 0;
      Integer reachedEpoch = null;
      Double reachedSeconds = null;
      for (EpochMetrics m : o.history().epochs()) {
        double acc = m.validation().accuracy();
        if (acc > best) {
          best = acc;
          bestEpoch = m.epoch();
        }
        if (reachedEpoch == null && acc >= c.targetAccuracy()) {
          reachedEpoch = m.epoch();
          reachedSeconds = m.elapsedSec();
        }
      }
      results = results.add(o.variant().label(), o.variant().activation(), o.variant().normalization(),
          o.test().accuracy(), best, bestEpoch, reachedEpoch, reachedSeconds, o.seconds());
      curves.put(o.variant().label(), o.history().validationAccuracyCurve());
      sumSeconds += o.seconds();
    }
    run.write(results, "results");
    Table timing = new Table(List.of("variants", "concurrency", "epochs", "wall_seconds",
        "sum_of_variant_seconds"));
    run.write(timing.add(outcomes.size(), c.concurrency(), c.epochs(), wall, sumSeconds), "timing");
    Charts.lines(run.file("validation-accuracy.png"), "Validation accuracy by activation (MLP " + c.hidden()
        + ", " + c.epochs() + " epochs)", "epoch", "validation accuracy", curves);
  }
}
