package io.sparknn.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.config.OptimizerConfig;
import io.sparknn.config.OutputConfig;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.Dataset;
import io.sparknn.data.GaussianBlobs;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.report.Charts;
import io.sparknn.report.Table;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import io.sparknn.tensor.Matrix;
import io.sparknn.tensor.Seeds;
import io.sparknn.train.Evaluation;
import io.sparknn.train.spark.SparkTrainer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The homework's toy problem on Spark: two 2-D Gaussian blobs, a logistic regression ({@code Linear 2 -> 2},
 * SoftMax) and the 2-4-2 ReLU net, both trained by {@link SparkTrainer} with ClassNLL and the config's
 * optimizer (the homework's SGD momentum by default). Leaves {@code results.csv/.md} (loss and accuracy on the
 * training points and on fresh points of the same blobs), {@code loss.png} (every iteration's mini-batch loss
 * of both models, the homework's plot) and one {@code boundary-MODEL.png} per model: the points coloured by
 * class over the learned decision regions. Run: {@code jobs/toy.sh [conf/toy.yaml] [key=value ...]}.
 */
public final class ToyExperiment {
  /**
   * The toy run's settings, on the training configs' schema ({@code data}, {@code optimizer},
   * {@code batch_size}, {@code epochs}, {@code output}).
   *
   * @param name run name
   * @param seed seed of the data, initialisation and shuffles
   * @param data the blobs and their partitions
   * @param optimizer update rule and schedule, as in a training config (the homework: SGD lr 0.1 momentum 0.9)
   * @param batchSize global mini-batch size (the homework: 128)
   * @param epochs passes over the data (the homework: 20)
   * @param output where the run directory goes
   */
  public record Config(String name, Long seed, Data data, OptimizerConfig optimizer,
      @JsonProperty("batch_size") Integer batchSize, Integer epochs, OutputConfig output) {
    public Config {
      name = name == null ? "toy" : name;
      seed = seed == null ? 42L : seed;
      data = data == null ? Data.DEFAULT : data;
      optimizer = optimizer == null ? OptimizerConfig.DEFAULT : optimizer;
      batchSize = batchSize == null ? 128 : batchSize;
      epochs = epochs == null ? 20 : epochs;
      output = output == null ? OutputConfig.DEFAULT : output;
    }
  }

  /**
   * The toy data: two Gaussian blobs instead of MNIST files, so only the {@code partitions} key is shared with
   * a training config's {@code data}.
   *
   * @param pointsPerClass points per blob (the homework: 500)
   * @param partitions Spark partitions of the training points
   */
  public record Data(@JsonProperty("points_per_class") Integer pointsPerClass, Integer partitions) {
    public static final Data DEFAULT = new Data(null, null);

    public Data {
      pointsPerClass = pointsPerClass == null ? 500 : pointsPerClass;
      partitions = partitions == null ? 2 : partitions;
    }
  }

  /** Keys of the old flat schema and where each went. */
  static final Map<String, String> MOVED_KEYS = Map.of("points_per_class", "data.points_per_class",
      "partitions", "data.partitions", "lr", "optimizer.lr", "momentum", "optimizer.momentum");

  /** The homework's two models, by name. */
  static Map<String, ModelSpec> models() {
    Map<String, ModelSpec> m = new LinkedHashMap<>();
    m.put("logistic-regression", new ModelSpec(2, List.of(LayerSpec.linear(2, 2), LayerSpec.of("SoftMax"))));
    m.put("relu-2-4-2", new ModelSpec(2, List.of(LayerSpec.linear(2, 4), LayerSpec.of("ReLU"),
        LayerSpec.linear(4, 2), LayerSpec.of("SoftMax"))));
    return m;
  }

  private ToyExperiment() {}

  public static void main(String[] args) {
    JobMain.exit("ToyExperiment", () -> run(args, null));
  }

  /** Runs in {@code existing} (left running) or in a Spark session of its own; returns the run directory. */
  public static Path run(String[] args, JavaSparkContext existing) {
    Config c = ExperimentConfigs.load(args, Config.class,
        "ToyExperiment --config conf/toy.yaml [--set key=value ...]", MOVED_KEYS);
    Data d = c.data();
    if (d.pointsPerClass() < d.partitions() || d.partitions() < 1 || c.batchSize() < 1 || c.epochs() < 1) {
      throw new ConfigException("toy config: need data.partitions >= 1, data.points_per_class >= "
          + "data.partitions, batch_size >= 1 and epochs >= 1; got " + c);
    }
    // Every model's plan is validated before Spark starts.
    Map<String, TrainPlan> plans = new LinkedHashMap<>();
    for (Map.Entry<String, ModelSpec> e : models().entrySet()) {
      plans.put(e.getKey(), plan(c, e.getKey(), e.getValue()));
    }
    Dataset train = GaussianBlobs.generate(d.pointsPerClass(), c.seed());
    // Fresh points of the same blobs: accuracy on data the model has not seen.
    Dataset test = GaussianBlobs.generate(d.pointsPerClass(), Seeds.mix(c.seed(), 0x7E57));
    ExperimentRun run = ExperimentRun.create(c.output().dir(), c.output().run(), c.name());
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn " + c.name());
    try (PartitionedDataset trainParts = PartitionedDataset.distribute(sc, train, d.partitions(), "toy-train");
        PartitionedDataset testParts = PartitionedDataset.distribute(sc, test, d.partitions(), "toy-test")) {
      Table results = new Table(List.of("model", "parameters", "iterations", "final_train_loss",
          "train_accuracy", "test_loss", "test_accuracy", "seconds"));
      Map<String, double[][]> curves = new LinkedHashMap<>();
      for (Map.Entry<String, ModelSpec> e : models().entrySet()) {
        ModelSpec spec = e.getValue();
        Sequential model = spec.build(c.seed());
        TrainingHistory history = new TrainingHistory(e.getKey());
        long start = System.nanoTime();
        TrainPlan plan = plans.get(e.getKey());
        SparkTrainer trainer = new SparkTrainer(sc, spec, model, plan.criterion(), plan.target(),
            plan.newOptimizer(), plan.options());
        trainer.fit(trainParts, null, history);
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation onTrain = trainer.evaluate(trainParts);
        Evaluation onTest = trainer.evaluate(testParts);
        double[] losses = history.iterationLosses();
        results = results.add(e.getKey(), model.parameterCount(), losses.length,
            history.epochs().get(history.epochs().size() - 1).trainLoss(), onTrain.accuracy(), onTest.loss(),
            onTest.accuracy(), seconds);
        curves.put(e.getKey(), history.iterationLossCurve());
        boundary(run.file("boundary-" + e.getKey() + ".png"), e.getKey() + " — test accuracy "
            + String.format("%.1f%%", 100 * onTest.accuracy()), train, model);
      }
      run.write(results, "results");
      Charts.lines(run.file("loss.png"), "Toy problem: mini-batch loss (ClassNLL)", "iteration", "loss", curves);
      run.finish();
      return run.path();
    } finally {
      if (existing == null) {
        sc.stop();
      }
    }
  }

  /** The plan of one model under {@code c}: the checks and optimizer a training config gets. */
  static TrainPlan plan(Config c, String model, ModelSpec spec) {
    TrainConfig tc = new TrainConfig(c.name() + "-" + model, c.seed(), DataConfig.DEFAULT, spec.layers(),
        "ClassNLL", "classes", c.optimizer(), c.batchSize(), c.epochs(), null, null);
    return TrainPlan.of(tc, spec.inputWidth(), "toy config");
  }

  /** The training points over the model's decision regions. */
  static void boundary(Path png, String title, Dataset data, Sequential model) {
    double[][] points = new double[data.rows()][];
    int[] classes = new int[data.rows()];
    for (int i = 0; i < data.rows(); i++) {
      points[i] = new double[] {data.feature(i, 0), data.feature(i, 1)};
      classes[i] = data.label(i);
    }
    model.evaluate();
    Matrix x = new Matrix(1, 2);
    Charts.scatterWithBoundary(png, title, points, classes, p -> {
      x.set(0, 0, p[0]);
      x.set(0, 1, p[1]);
      Matrix out = model.forward(x);
      return out.get(0, 1) > out.get(0, 0) ? 1 : 0;
    });
  }
}
