package io.sparknn.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.config.OptimizerConfig;
import io.sparknn.config.OutputConfig;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Module;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.report.Charts;
import io.sparknn.report.Table;
import io.sparknn.run.JobMain;
import io.sparknn.run.PreparedData;
import io.sparknn.run.SparkSetup;
import io.sparknn.tensor.Matrix;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingDivergedException;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.spark.SparkTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The homework's bonus part on Spark. Trains the deep autoencoder {@code 784 → 512 → 256 → 128 → 30 → 128 →
 * 256 → 512 → 784} (widths configurable; the 30-unit code layer is linear) with {@code MSECriterion} (sum of
 * squares per image, averaged over the batch) and reports its test reconstruction loss after every epoch;
 * short optimizer probes show why the homework's SGD (lr 0.1, momentum 0.9) fails on that summed loss. Then it
 * extracts the 30-d codes of the training, validation and test images on the executors, trains a logistic
 * regression ({@code Linear 30 -> 10}, SoftMax) on them, removes the decoder ({@code Sequential.remove}), puts
 * the trained classifier on the encoder and fine-tunes the whole network, and trains the same architecture
 * from scratch with the same budget. PCA with the same number of components ({@link SparkPca}) gives the
 * linear baseline under the same loss. Leaves {@code reconstruction}, {@code classification} and
 * {@code probes} tables, {@code loss.png} and {@code digits.png} (10 validation digits: original, autoencoder
 * clipped to [0, 1], PCA). Run: {@code jobs/autoencoder.sh [conf/autoencoder.yaml] [key=value ...]}.
 */
public final class AutoencoderExperiment {
  /**
   * One training phase: update rule and schedule, batch size, epochs.
   *
   * @param optimizer as in a training config ({@code type}, {@code lr}, {@code momentum}, {@code schedule}...)
   * @param batchSize global mini-batch size
   * @param epochs passes over the data
   */
  public record Phase(OptimizerConfig optimizer, @JsonProperty("batch_size") Integer batchSize, Integer epochs) {
    public Phase {
      optimizer = optimizer == null ? OptimizerConfig.DEFAULT : optimizer;
      batchSize = batchSize == null ? 256 : batchSize;
      epochs = epochs == null ? 1 : epochs;
    }
  }

  /**
   * A short autoencoder run that shows what an optimizer and activations do to the summed loss.
   *
   * @param label row name in the probes table
   * @param activation hidden activation (default: the experiment's)
   * @param normalization normalisation after hidden Linear layers (default: the experiment's)
   * @param outputActivation activation after the last Linear, or {@code none} (default: the experiment's)
   * @param optimizer update rule
   */
  public record Probe(String label, String activation, String normalization,
      @JsonProperty("output_activation") String outputActivation, OptimizerConfig optimizer) {}

  /**
   * The experiment's settings.
   *
   * @param name run name
   * @param seed seed of initialisation, shuffles and the validation split
   * @param data data set, validation rows, partitions, limit
   * @param encoder widths of the encoder's Linear layers, the last being the code
   * @param activation hidden activation of encoder and decoder
   * @param normalization {@code none} or a normalisation layer type put after every hidden Linear (not after
   *     the code layer nor the output layer)
   * @param outputActivation activation of the reconstruction ({@code Sigmoid} or {@code none})
   * @param autoencoder the autoencoder's training phase
   * @param targetLoss test reconstruction loss to reach (the homework's bar: 6.0)
   * @param classifier the logistic regression's phase on the codes
   * @param finetune the phase of encoder + classifier on the images
   * @param scratch the same architecture's phase from random weights
   * @param pcaComponents PCA components (the code width by default)
   * @param digits validation digits in the picture
   * @param probes optimizer probes, each trained {@code probe_epochs} on the first {@code probe_rows} rows
   * @param probeRows training rows of each probe
   * @param probeEpochs epochs of each probe
   * @param output where the run directory goes
   */
  public record Config(String name, Long seed, DataConfig data, List<Integer> encoder, String activation,
      String normalization, @JsonProperty("output_activation") String outputActivation, Phase autoencoder,
      @JsonProperty("target_loss") Double targetLoss, Phase classifier, Phase finetune, Phase scratch,
      @JsonProperty("pca_components") Integer pcaComponents, Integer digits, List<Probe> probes,
      @JsonProperty("probe_rows") Integer probeRows, @JsonProperty("probe_epochs") Integer probeEpochs,
      OutputConfig output) {
    public Config {
      name = name == null ? "autoencoder" : name;
      seed = seed == null ? 42L : seed;
      data = data == null ? DataConfig.DEFAULT : data;
      encoder = encoder == null ? List.of(512, 256, 128, 30) : encoder;
      activation = activation == null ? "LeakyReLU" : activation;
      normalization = normalization == null ? "none" : normalization;
      outputActivation = outputActivation == null ? "Sigmoid" : outputActivation;
      autoencoder = autoencoder == null ? new Phase(null, 256, 9) : autoencoder;
      targetLoss = targetLoss == null ? 6.0 : targetLoss;
      classifier = classifier == null ? new Phase(null, 256, 5) : classifier;
      finetune = finetune == null ? new Phase(null, 256, 3) : finetune;
      scratch = scratch == null ? finetune : scratch;
      pcaComponents = pcaComponents == null ? encoder.get(encoder.size() - 1) : pcaComponents;
      digits = digits == null ? 10 : digits;
      probes = probes == null ? List.of() : probes;
      probeRows = probeRows == null ? 10000 : probeRows;
      probeEpochs = probeEpochs == null ? 1 : probeEpochs;
      output = output == null ? OutputConfig.DEFAULT : output;
    }
  }

  private AutoencoderExperiment() {}

  public static void main(String[] args) {
    JobMain.exit("AutoencoderExperiment", () -> run(args, null));
  }

  /**
   * The autoencoder's layers: encoder Linear layers, each hidden one followed by {@code normalization} (unless
   * {@code none}) and {@code activation} (the code layer is linear), then the mirror-image decoder built the
   * same way, then {@code outputActivation} (unless {@code none}).
   */
  static List<LayerSpec> autoencoderLayers(int inputWidth, List<Integer> encoder, String activation,
      String normalization, String outputActivation) {
    List<LayerSpec> layers = new ArrayList<>(encoderLayers(inputWidth, encoder, activation, normalization));
    int width = encoder.get(encoder.size() - 1);
    for (int i = encoder.size() - 2; i >= 0; i--) {
      hidden(layers, width, encoder.get(i), activation, normalization);
      width = encoder.get(i);
    }
    layers.add(LayerSpec.linear(width, inputWidth));
    if (!outputActivation.equalsIgnoreCase("none")) {
      layers.add(LayerSpec.of(outputActivation));
    }
    return layers;
  }

  /** The encoder's layers, ending with the linear code layer. */
  static List<LayerSpec> encoderLayers(int inputWidth, List<Integer> encoder, String activation,
      String normalization) {
    if (encoder.isEmpty()) {
      throw new ConfigException("key 'encoder' must list at least the code width");
    }
    List<LayerSpec> layers = new ArrayList<>();
    int width = inputWidth;
    for (int i = 0; i < encoder.size() - 1; i++) {
      hidden(layers, width, encoder.get(i), activation, normalization);
      width = encoder.get(i);
    }
    layers.add(LayerSpec.linear(width, encoder.get(encoder.size() - 1)));
    return layers;
  }

  private static void hidden(List<LayerSpec> layers, int in, int out, String activation, String normalization) {
    layers.add(LayerSpec.linear(in, out));
    if (!normalization.equalsIgnoreCase("none")) {
      layers.add(LayerSpec.of(normalization));
    }
    layers.add(LayerSpec.of(activation));
  }

  /** A validated plan for one phase: model, criterion, target, options and a fresh optimizer. */
  static TrainPlan plan(Config c, String phase, Phase p, List<LayerSpec> layers, int inputWidth, String criterion,
      String target) {
    TrainConfig tc = new TrainConfig(c.name() + "-" + phase, c.seed(), DataConfig.DEFAULT, layers, criterion,
        target, p.optimizer(), p.batchSize(), p.epochs(), null, null);
    return TrainPlan.of(tc, inputWidth, "key '" + phase + "'");
  }

  /** Runs in {@code existing} (left running) or in a Spark session of its own; returns the run directory. */
  public static Path run(String[] args, JavaSparkContext existing) {
    Config c = ExperimentConfigs.load(args, Config.class,
        "AutoencoderExperiment --config conf/autoencoder.yaml [--set key=value ...]");
    PreparedData local = MnistData.read(c.data(), c.seed());
    int d = local.train().cols();
    int code = c.encoder().get(c.encoder().size() - 1);
    // Every phase is validated before Spark starts.
    TrainPlan aePlan = plan(c, "autoencoder", c.autoencoder(), autoencoderLayers(d, c.encoder(), c.activation(),
        c.normalization(), c.outputActivation()), d, "MSE", "input");
    TrainPlan clsPlan = plan(c, "classifier", c.classifier(), List.of(
        LayerSpec.linear(code, local.train().classes()), LayerSpec.of("SoftMax")), code, "ClassNLL", "classes");
    List<LayerSpec> encoderLayers = encoderLayers(d, c.encoder(), c.activation(), c.normalization());
    List<LayerSpec> fineLayers = new ArrayList<>(encoderLayers);
    fineLayers.addAll(clsPlan.model().layers());
    TrainPlan finePlan = plan(c, "finetune", c.finetune(), fineLayers, d, "ClassNLL", "classes");
    TrainPlan scratchPlan = plan(c, "scratch", c.scratch(), fineLayers, d, "ClassNLL", "classes");
    List<TrainPlan> probePlans = new ArrayList<>();
    for (Probe p : c.probes()) {
      if (p.label() == null) {
        throw new ConfigException("key 'probes': every probe needs a 'label'");
      }
      probePlans.add(plan(c, "probes", new Phase(p.optimizer(), c.autoencoder().batchSize(), c.probeEpochs()),
          autoencoderLayers(d, c.encoder(), p.activation() == null ? c.activation() : p.activation(),
              p.normalization() == null ? c.normalization() : p.normalization(),
              p.outputActivation() == null ? c.outputActivation() : p.outputActivation()), d, "MSE", "input"));
    }
    if (c.pcaComponents() < 1 || c.pcaComponents() > d || c.digits() < 1
        || c.digits() > local.validation().rows()) {
      throw new ConfigException("key 'pca_components' must be in [1, " + d + "] and 'digits' in [1, validation "
          + "rows]; got " + c.pcaComponents() + ", " + c.digits());
    }

    ExperimentRun run = ExperimentRun.create(c.output().dir(), c.output().run(), c.name());
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn " + c.name());
    try (MnistData data = MnistData.distribute(sc, local, c.data().partitions())) {
      int partitions = data.train().partitions();
      if (!probePlans.isEmpty()) {
        run.write(probes(sc, c, probePlans, local, partitions, data), "probes");
      }

      // 1. The autoencoder, with its test loss after every epoch.
      Sequential ae = aePlan.model().build(c.seed());
      SparkTrainer aeTrainer = new SparkTrainer(sc, aePlan.model(), ae, aePlan.criterion(), Target.INPUT,
          aePlan.newOptimizer(), aePlan.options());
      TrainingHistory aeHistory = new TrainingHistory("autoencoder");
      List<Double> testLosses = new ArrayList<>();
      long aeStart = System.nanoTime();
      aeTrainer.fit(data.train(), data.validation(), new TrainingListener() {
        @Override
        public void onEpoch(EpochMetrics m) {
          aeHistory.onEpoch(m);
          testLosses.add(aeTrainer.evaluate(data.test()).loss());
          System.out.printf("[autoencoder] epoch %d  test reconstruction loss %.4f%n", m.epoch(),
              testLosses.get(testLosses.size() - 1));
        }
      });
      double aeSeconds = (System.nanoTime() - aeStart) / 1e9;
      double aeTest = testLosses.get(testLosses.size() - 1);
      Integer reached = null;
      for (int i = 0; i < testLosses.size() && reached == null; i++) {
        reached = testLosses.get(i) <= c.targetLoss() ? i + 1 : null;
      }

      // 2. PCA with the same loss, and the trivial baselines.
      long pcaStart = System.nanoTime();
      SparkPca pca = SparkPca.fit(data.train().rdd(), c.pcaComponents());
      double pcaTest = pca.reconstructionLoss(sc, data.test().rdd());
      double pcaSeconds = (System.nanoTime() - pcaStart) / 1e9;
      double zeros = sumOfSquares(data.test());
      Table recon = new Table(List.of("method", "test_reconstruction_loss", "epochs", "first_epoch_at_or_below_"
          + c.targetLoss(), "seconds"));
      recon = recon.add("predict zeros", zeros, null, null, null)
          .add("predict the training mean (PCA-0)", pca.totalVariance(), null, null, null)
          .add("PCA-" + c.pcaComponents(), pcaTest, null, null, pcaSeconds)
          .add("autoencoder " + c.encoder() + " " + c.activation()
              + (c.normalization().equalsIgnoreCase("none") ? "" : " + " + c.normalization()) + ", "
              + c.outputActivation() + " output", aeTest,
              c.autoencoder().epochs(), reached, aeSeconds);
      run.write(recon, "reconstruction");
      lossChart(run, aeHistory, testLosses, pcaTest, zeros, c);
      digits(run, local.validation(), ae, pca, c.digits());

      // 3. Codes, extracted on the executors, and a logistic regression on them.
      Sequential encoder = aePlan.model().build(c.seed());
      load(encoder, ae.weightsAndState());
      while (encoder.size() > encoderLayers.size()) {
        encoder.remove(encoder.size() - 1);
      }
      ModelSpec encoderSpec = ModelSpec.describe(encoder, d);
      double[] encoderWeights = encoder.weightsAndState();
      Table cls = new Table(List.of("model", "test_accuracy", "best_val_accuracy", "epochs", "seconds"));
      long clsStart = System.nanoTime();
      Dataset codesTrain = ModelOutputs.of(sc, data.train(), encoderSpec, encoderWeights);
      Dataset codesVal = ModelOutputs.of(sc, data.validation(), encoderSpec, encoderWeights);
      Dataset codesTest = ModelOutputs.of(sc, data.test(), encoderSpec, encoderWeights);
      Sequential classifier = clsPlan.model().build(c.seed());
      TrainingHistory clsHistory = new TrainingHistory("codes classifier");
      Evaluation clsTest;
      try (PartitionedDataset ct = PartitionedDataset.distribute(sc, codesTrain, partitions, "codes-train");
          PartitionedDataset cv = PartitionedDataset.distribute(sc, codesVal, partitions, "codes-validation");
          PartitionedDataset cx = PartitionedDataset.distribute(sc, codesTest, partitions, "codes-test")) {
        SparkTrainer t = new SparkTrainer(sc, clsPlan.model(), classifier, clsPlan.criterion(), Target.CLASSES,
            clsPlan.newOptimizer(), clsPlan.options());
        t.fit(ct, cv, clsHistory);
        clsTest = t.evaluate(cx);
      }
      cls = cls.add("logistic regression on " + code + "-d codes", clsTest.accuracy(), bestAccuracy(clsHistory),
          c.classifier().epochs(), (System.nanoTime() - clsStart) / 1e9);

      // 4. Decoder off, classifier on, fine-tune everything.
      Module linear = classifier.remove(0);
      Module softmax = classifier.remove(0);
      encoder.add(linear).add(softmax);
      Fit fine = fit(sc, ModelSpec.describe(encoder, d), encoder, finePlan, data, "fine-tuned");
      cls = cls.add("encoder + code classifier, fine-tuned", fine.testAccuracy(), fine.bestValidation(),
          c.finetune().epochs(), fine.seconds());

      // 5. The same architecture from random weights, same budget.
      Fit scratch = fit(sc, scratchPlan.model(), scratchPlan.model().build(c.seed()), scratchPlan, data,
          "scratch");
      cls = cls.add("same architecture from scratch", scratch.testAccuracy(), scratch.bestValidation(),
          c.scratch().epochs(), scratch.seconds());
      run.write(cls, "classification");
      run.finish();
      return run.path();
    } finally {
      if (existing == null) {
        sc.stop();
      }
    }
  }

  /** What a supervised phase reached. */
  record Fit(double testAccuracy, double bestValidation, double seconds) {}

  private static Fit fit(JavaSparkContext sc, ModelSpec spec, Sequential model, TrainPlan plan, MnistData data,
      String label) {
    long start = System.nanoTime();
    TrainingHistory h = new TrainingHistory(label);
    SparkTrainer t = new SparkTrainer(sc, spec, model, plan.criterion(), Target.CLASSES, plan.newOptimizer(),
        plan.options());
    t.fit(data.train(), data.validation(), h);
    double acc = t.evaluate(data.test()).accuracy();
    return new Fit(acc, bestAccuracy(h), (System.nanoTime() - start) / 1e9);
  }

  private static double bestAccuracy(TrainingHistory h) {
    double best = Double.NaN;
    for (EpochMetrics m : h.epochs()) {
      double a = m.validation().accuracy();
      best = Double.isNaN(best) || a > best ? a : best;
    }
    return best;
  }

  private static void load(Sequential model, double[] weightsAndState) {
    double[] w = model.parameters();
    double[] s = model.state();
    System.arraycopy(weightsAndState, 0, w, 0, w.length);
    System.arraycopy(weightsAndState, w.length, s, 0, s.length);
  }

  /** Mean over rows of {@code Σ x²}: the loss of reconstructing every image as zeros, on the executors. */
  static double sumOfSquares(PartitionedDataset data) {
    double sum = data.rdd().map(part -> {
      double s = 0;
      for (int r = 0; r < part.rows(); r++) {
        for (int col = 0; col < part.cols(); col++) {
          double v = part.feature(r, col);
          s += v * v;
        }
      }
      return s;
    }).reduce(Double::sum);
    return sum / data.rows();
  }

  /**
   * Short runs of the autoencoder under other optimizers or activations on the first {@code probe_rows}
   * training rows: their first mini-batch loss and final validation loss, or the iteration where they diverged.
   */
  private static Table probes(JavaSparkContext sc, Config c, List<TrainPlan> plans, PreparedData local,
      int partitions, MnistData data) {
    Table table = new Table(List.of("probe", "optimizer", "first_batch_loss", "validation_loss", "outcome"));
    int rows = Math.min(c.probeRows(), local.train().rows());
    try (PartitionedDataset subset = PartitionedDataset.distribute(sc, local.train().slice(0, rows), partitions,
        "probe-train")) {
      for (int i = 0; i < plans.size(); i++) {
        TrainPlan p = plans.get(i);
        Probe probe = c.probes().get(i);
        OptimizerConfig o = probe.optimizer() == null ? OptimizerConfig.DEFAULT : probe.optimizer();
        String opt = o.type() + " lr " + o.lr() + (o.type().equalsIgnoreCase("sgd") ? " momentum " + o.momentum()
            : "");
        TrainingHistory h = new TrainingHistory("probe " + probe.label());
        SparkTrainer t = new SparkTrainer(sc, p.model(), p.model().build(c.seed()), p.criterion(), Target.INPUT,
            p.newOptimizer(), p.options());
        double val = Double.NaN;
        String outcome;
        try {
          t.fit(subset, data.validation(), h);
          val = h.epochs().get(h.epochs().size() - 1).validation().loss();
          outcome = c.probeEpochs() + " epoch(s) on " + rows + " rows";
        } catch (TrainingDivergedException e) {
          outcome = "diverged at iteration " + e.iteration() + " (" + e.rule() + ")";
        }
        double[] losses = h.iterationLosses();
        table = table.add(probe.label(), opt, losses.length == 0 ? Double.NaN : losses[0], val, outcome);
      }
    }
    return table;
  }

  /** Training, validation and test loss per epoch, with PCA and the all-zeros prediction as flat lines. */
  private static void lossChart(ExperimentRun run, TrainingHistory h, List<Double> testLosses, double pca,
      double zeros, Config c) {
    Map<String, double[][]> series = new LinkedHashMap<>();
    double[][] train = h.trainingLossCurve();
    double[] x = train[0];
    double[] test = testLosses.stream().mapToDouble(Double::doubleValue).toArray();
    series.put("autoencoder train", train);
    series.put("autoencoder validation", h.validationLossCurve());
    series.put("autoencoder test", new double[][] {x, test});
    series.put("PCA-" + c.pcaComponents() + " test", new double[][] {x, constant(x.length, pca)});
    series.put("predict zeros", new double[][] {x, constant(x.length, zeros)});
    series.put("target " + c.targetLoss(), new double[][] {x, constant(x.length, c.targetLoss())});
    Charts.lines(run.file("loss.png"), "Autoencoder reconstruction loss (sum of squares per image)", "epoch",
        "loss", series);
  }

  private static double[] constant(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /** The first {@code n} validation digits: original, autoencoder (clipped to [0, 1]) and PCA rows. */
  private static void digits(ExperimentRun run, Dataset validation, Sequential ae, SparkPca pca, int n) {
    int d = validation.cols();
    Matrix x = new Matrix(n, d);
    validation.gatherRange(0, n, x, null, 0);
    ae.evaluate();
    Matrix rec = ae.forward(x).copy();
    Matrix pcaRec = new Matrix(n, d);
    pca.reconstruct(x, pcaRec);
    double[][] original = new double[n][];
    double[][] auto = new double[n][];
    double[][] linear = new double[n][];
    for (int r = 0; r < n; r++) {
      original[r] = java.util.Arrays.copyOfRange(x.data(), r * d, (r + 1) * d);
      auto[r] = java.util.Arrays.copyOfRange(rec.data(), r * d, (r + 1) * d);
      for (int i = 0; i < d; i++) {
        auto[r][i] = Math.max(0, Math.min(1, auto[r][i]));
      }
      linear[r] = java.util.Arrays.copyOfRange(pcaRec.data(), r * d, (r + 1) * d);
    }
    int side = (int) Math.round(Math.sqrt(d));
    Charts.digitRows(run.file("digits.png"), List.of("original", "autoencoder", "PCA-" + pca.components().rows()),
        List.of(original, auto, linear), side, d / side);
  }
}
