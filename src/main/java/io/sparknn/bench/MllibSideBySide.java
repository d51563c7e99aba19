package io.sparknn.bench;

import io.sparknn.config.ConfigException;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.ml.SparknnClassifier;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * MLlib's {@code MultilayerPerceptronClassifier} and {@link SparknnClassifier} side by side, in one run on one
 * DataFrame: {@code jobs/mllib-side-by-side.sh [key=value ...]}. Both are the one stage of the same
 * {@code Pipeline}, with the same {@code layers}, fitted on the same cached Parquet table (features: a Spark ML
 * dense vector, label: a double); each fit is timed from call to return and its test accuracy measured
 * afterwards, untimed, with {@code MulticlassClassificationEvaluator}. Without {@code train=}/{@code test=}
 * Parquet paths it first writes the embedded MNIST as Parquet into its run directory. Prints a Markdown table
 * and writes it, with the settings and the machine's load, to {@code runs/mllib-side-by-side-<timestamp>/}.
 *
 * <p>Keys: {@code train}, {@code test} (Parquet paths), {@code layers} ({@code 784,196,98,10}),
 * {@code epochs} (sparknn's {@code maxIter}, 4), {@code batch_size} (128), {@code step_size} (0.1),
 * {@code mllib_iter} (MLlib's {@code maxIter}, 100), {@code mllib_solver} ({@code l-bfgs}), {@code partitions}
 * (the table's partitions when it is read in fewer, 2), {@code seed} (42), {@code out} ({@code runs}).
 */
public final class MllibSideBySide {
  private static final Map<String, String> DEFAULTS = defaults();

  private MllibSideBySide() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("train", "");
    d.put("test", "");
    d.put("layers", "784,196,98,10");
    d.put("epochs", "4");
    d.put("batch_size", "128");
    d.put("step_size", "0.1");
    d.put("mllib_iter", "100");
    d.put("mllib_solver", "l-bfgs");
    d.put("partitions", "2");
    d.put("seed", "42");
    d.put("out", "runs");
    return d;
  }

  /** One fitted estimator's figures. */
  record Fit(String estimator, String settings, double fitSeconds, double testAccuracy, String loadBefore,
      String loadAfter) {}

  public static void main(String[] args) {
    JobMain.exit("MllibSideBySide", () -> run(args));
  }

  static List<Fit> run(String[] args) throws IOException {
    Map<String, String> o = options(JobArguments.parse(args));
    int[] layers = Arrays.stream(o.get("layers").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    Path dir = Path.of(o.get("out"), "mllib-side-by-side-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(dir.getParent());
    Files.createDirectory(dir);
    JavaSparkContext sc = SparkSetup.start("sparknn vs MLlib");
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    try {
      int partitions = Integer.parseInt(o.get("partitions"));
      String trainPath = o.get("train").isEmpty() ? writeMnist(spark, dir, partitions)[0] : o.get("train");
      String testPath = o.get("test").isEmpty() ? dir.resolve("mnist-test.parquet").toString() : o.get("test");
      org.apache.spark.sql.Dataset<Row> train = cached(spark, trainPath, partitions);
      org.apache.spark.sql.Dataset<Row> test = cached(spark, testPath, 1);
      System.err.printf("side-by-side: %d training rows in %d partitions, %d test rows, layers %s%n", train.count(),
          train.javaRDD().getNumPartitions(), test.count(), Arrays.toString(layers));
      long seed = Long.parseLong(o.get("seed"));
      SparknnClassifier sparknn = new SparknnClassifier().setLayers(layers)
          .setMaxIter(Integer.parseInt(o.get("epochs"))).setBatchSize(Integer.parseInt(o.get("batch_size")))
          .setStepSize(Double.parseDouble(o.get("step_size"))).setSeed(seed);
      MultilayerPerceptronClassifier mllib = new MultilayerPerceptronClassifier().setLayers(layers)
          .setMaxIter(Integer.parseInt(o.get("mllib_iter"))).setSolver(o.get("mllib_solver")).setSeed(seed);
      List<Fit> fits = new ArrayList<>();
      fits.add(fit("SparknnClassifier", "maxIter " + sparknn.getMaxIter() + " epochs, batch "
          + sparknn.getBatchSize() + ", sgd lr " + sparknn.getStepSize() + " momentum " + sparknn.getMomentum()
          + ", " + sparknn.getActivation(), sparknn, train, test));
      fits.add(fit("MultilayerPerceptronClassifier", "maxIter " + mllib.getMaxIter() + ", " + mllib.getSolver()
          + ", sigmoid", mllib, train, test));
      String table = markdown(fits, train.count(), train.javaRDD().getNumPartitions(), layers);
      System.out.println(table);
      Files.writeString(dir.resolve("side-by-side.md"), table + "\nsettings: " + o + "\n" + "master " + sc.master()
          + ", " + MachineLoad.cpus() + " cpus\n");
      return fits;
    } finally {
      sc.stop();
    }
  }

  private static Map<String, String> options(JobArguments a) {
    if (a.help() || !a.positional().isEmpty() || a.config() != null || a.resume() != null) {
      throw new ConfigException("usage: MllibSideBySide [--set key=value ...]; keys " + DEFAULTS.keySet());
    }
    Map<String, String> o = new LinkedHashMap<>(DEFAULTS);
    for (String s : a.overrides()) {
      int eq = s.indexOf('=');
      String key = eq < 0 ? s : s.substring(0, eq);
      if (eq < 0 || !o.containsKey(key)) {
        throw new ConfigException("--set " + s + ": expected key=value with a key of " + DEFAULTS.keySet());
      }
      o.put(key, s.substring(eq + 1));
    }
    for (String k : List.of("epochs", "batch_size", "mllib_iter", "partitions")) {
      try {
        if (Integer.parseInt(o.get(k)) < 1) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("key '" + k + "' is '" + o.get(k) + "'; expected an integer >= 1");
      }
    }
    return o;
  }

  /** Writes the embedded MNIST train and test sets as Parquet into {@code dir}; returns their paths. */
  private static String[] writeMnist(SparkSession spark, Path dir, int partitions) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset[] mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    String[] paths = {dir.resolve("mnist-train.parquet").toString(), dir.resolve("mnist-test.parquet").toString()};
    for (int i = 0; i < 2; i++) {
      try (PartitionedDataset d = PartitionedDataset.distribute(sc, mnist[i], i == 0 ? partitions : 1, "mnist")) {
        MllibBench.frame(spark, d).write().parquet(paths[i]);
      }
    }
    System.err.println("side-by-side: wrote the embedded MNIST as Parquet to " + dir);
    return paths;
  }

  /** The Parquet table, in at least {@code partitions} partitions, cached and counted. */
  private static org.apache.spark.sql.Dataset<Row> cached(SparkSession spark, String path, int partitions) {
    if (!Files.exists(Path.of(path)) && !path.contains("://")) {
      throw new ConfigException(path + ": no such Parquet table");
    }
    org.apache.spark.sql.Dataset<Row> t = spark.read().parquet(path);
    if (t.javaRDD().getNumPartitions() < partitions) {
      t = t.repartition(partitions);
    }
    t = t.persist(StorageLevel.MEMORY_ONLY());
    t.count();
    return t;
  }

  private static Fit fit(String name, String settings, PipelineStage estimator,
      org.apache.spark.sql.Dataset<Row> train, org.apache.spark.sql.Dataset<Row> test) {
    System.err.println("side-by-side: fitting " + name + " (" + settings + ")");
    String before = MachineLoad.loadavg();
    long t0 = System.nanoTime();
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {estimator}).fit(train);
    double seconds = (System.nanoTime() - t0) / 1e9;
    String after = MachineLoad.loadavg();
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(test));
    System.err.printf("side-by-side: %s fit %.1f s, test accuracy %.4f%n", name, seconds, accuracy);
    return new Fit(name, settings, seconds, accuracy, before, after);
  }

  static String markdown(List<Fit> fits, long rows, int partitions, int[] layers) {
    StringBuilder sb = new StringBuilder();
    sb.append("layers ").append(Arrays.toString(layers)).append(", ").append(rows).append(" training rows in ")
        .append(partitions).append(" cached partitions\n\n");
    sb.append("| estimator | settings | fit (s) | test accuracy | load average before / after |\n");
    sb.append("| --- | --- | ---: | ---: | --- |\n");
    for (Fit f : fits) {
      sb.append(String.format("| %s | %s | %.1f | %.4f | %s / %s |%n", f.estimator(), f.settings(), f.fitSeconds(),
          f.testAccuracy(), f.loadBefore(), f.loadAfter()));
    }
    return sb.toString();
  }
}
