package io.sparknn.jobs;

import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.data.IdxBlocks;
import io.sparknn.data.IdxHeader;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.data.RowSelection;
import io.sparknn.data.TableColumns;
import io.sparknn.data.TableSource;
import io.sparknn.io.ModelFiles;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Target;
import io.sparknn.train.spark.SparkTrainer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Evaluates a saved model on the executors: {@code EvaluateJob MODEL_DIR [IMAGES LABELS] [--set criterion=..]} or, for
 * a table, {@code --set data.format=parquet|libsvm --set data.test=PATH} (and {@code data.features}, {@code
 * data.label}). Without files it uses the embedded MNIST test set. The executors read the rows. Prints loss, accuracy
 * and the confusion matrix; exits 2 with one clear line for a bad model directory or data file.
 */
public final class EvaluateJob {
  private EvaluateJob() {}

  public static void main(String[] args) {
    JobMain.exit("EvaluateJob", () -> evaluate(args, null));
  }

  /** Runs the evaluation (in {@code existing} when not null) and returns its result. */
  public static Evaluation evaluate(String[] args, JavaSparkContext existing) {
    JobArguments a = JobArguments.parse(args);
    List<String> p = a.positional();
    if (a.help() || (p.size() != 1 && p.size() != 3)) {
      throw new ConfigException("usage: EvaluateJob MODEL_DIR [IDX_IMAGES IDX_LABELS] [--set criterion=NAME]"
          + " [--set data.format=parquet|libsvm --set data.test=PATH [--set data.features=COL]"
          + " [--set data.label=COL]]");
    }
    ModelFiles.Loaded loaded = ModelFiles.load(p.get(0), new org.apache.hadoop.conf.Configuration());
    int width = loaded.spec().inputWidth();
    int classes = loaded.model().outputSize(width);
    String criterion = "ClassNLL";
    Map<String, String> data = new HashMap<>();
    for (String s : a.overrides()) {
      int eq = s.indexOf('=');
      String key = eq < 0 ? s : s.substring(0, eq);
      if (key.equals("criterion")) {
        criterion = s.substring(eq + 1);
      } else if (List.of("data.format", "data.test", "data.features", "data.label").contains(key)) {
        data.put(key.substring("data.".length()), s.substring(eq + 1));
      } else {
        throw new ConfigException("EvaluateJob takes only --set criterion=NAME and --set data.format, data.test,"
            + " data.features, data.label; got --set " + s);
      }
    }
    DataConfig table = new DataConfig(data.get("format"), null, data.get("test"), data.get("test"),
        data.get("features"), data.get("label"), classes, null, 0, false, 0, 0, null);
    if (!data.isEmpty()) {
      table.check("--set");
      if (!table.isTable() || p.size() == 3) {
        throw new ConfigException("--set data.* names a table (data.format parquet or libsvm, data.test PATH);"
            + " give either IDX files or a table");
      }
    }
    CriterionSpec spec = new CriterionSpec(criterion);
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn evaluate");
    try (PartitionedDataset parts = testData(sc, p, table, width, classes)) {
      Evaluation e = SparkTrainer.evaluate(sc, parts.rdd(), loaded.spec(), spec, Target.CLASSES,
          loaded.model().weightsAndState(),
          java.util.UUID.randomUUID().toString());
      System.out.printf("loss %.6f%naccuracy %.4f (%d of %d)%n", e.loss(), e.accuracy(), e.correct(), e.count());
      System.out.println("confusion matrix (rows: true class, columns: predicted):");
      for (long[] row : e.confusion()) {
        StringBuilder sb = new StringBuilder();
        for (long v : row) {
          sb.append(String.format("%6d", v));
        }
        System.out.println(sb);
      }
      return e;
    } finally {
      if (existing == null) {
        sc.stop();
      }
    }
  }

  /** The test rows, read by the executors: IDX files, a table, or the embedded MNIST test set. */
  private static PartitionedDataset testData(JavaSparkContext sc, List<String> p, DataConfig table, int width,
      int classes) {
    String source;
    PartitionedDataset data;
    if (table.isTable()) {
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      source = table.test();
      data = TableSource.partitioned(TableSource.read(spark, table.format(), source, width),
          new TableColumns(table.features(), table.label(), source), classes, 0, "eval");
    } else {
      String[] mnist = p.size() == 3 ? null : MnistFiles.paths(MnistFiles.defaultDir(), sc.hadoopConfiguration());
      String[] files = p.size() == 3 ? new String[] {p.get(1), p.get(2)} : new String[] {mnist[2], mnist[3]};
      source = files[0];
      IdxHeader[] h = IdxBlocks.headers(files[0], files[1], sc.hadoopConfiguration());
      if (h[0].rowBytes() != width) {
        throw new ConfigException(p.get(0) + ": the model takes " + width + " features, but " + source
            + " has images of " + h[0].rowBytes() + " pixels; expected images of the model's input width");
      }
      data = PartitionedDataset.cache(IdxBlocks.of(sc, h[0], h[1], RowSelection.ranges(h[0].count(),
          Math.min(sc.defaultParallelism(), h[0].count())), classes), "eval", source);
    }
    if (data.cols() != width) {
      data.close();
      throw new ConfigException(p.get(0) + ": the model takes " + width + " features, but " + source + " has rows"
          + " of " + data.cols() + "; expected rows of the model's input width");
    }
    return data;
  }
}
