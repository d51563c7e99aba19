package io.sparknn.jobs;

import io.sparknn.config.ConfigException;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.io.ModelFiles;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Target;
import io.sparknn.train.spark.SparkTrainer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Evaluates a saved model on the executors: {@code EvaluateJob MODEL_DIR [IMAGES LABELS] [--set criterion=..]}.
 * Without files it uses the embedded MNIST test set. Prints loss, accuracy and the confusion matrix; exits 2
 * with one clear line for a bad model directory or data file.
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
      throw new ConfigException("usage: EvaluateJob MODEL_DIR [IDX_IMAGES IDX_LABELS]");
    }
    ModelFiles.Loaded loaded = ModelFiles.load(p.get(0), new org.apache.hadoop.conf.Configuration());
    String images = p.size() == 3 ? p.get(1) : "the MNIST test set in " + MnistFiles.defaultDir();
    Dataset data = p.size() == 3 ? MnistFiles.load(p.get(1), p.get(2), MnistFiles.CLASSES)
        : MnistFiles.trainAndTest(MnistFiles.defaultDir())[1];
    if (data.cols() != loaded.spec().inputWidth()) {
      throw new ConfigException(p.get(0) + ": the model takes " + loaded.spec().inputWidth() + " features, but "
          + images + " has images of " + data.cols() + " pixels; expected images of the model's input width");
    }
    String criterion = "ClassNLL";
    for (String s : a.overrides()) {
      if (s.startsWith("criterion=")) {
        criterion = s.substring("criterion=".length());
      } else {
        throw new ConfigException("EvaluateJob takes only --set criterion=NAME, got --set " + s);
      }
    }
    CriterionSpec spec = new CriterionSpec(criterion);
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn evaluate");
    try (PartitionedDataset parts = PartitionedDataset.distribute(sc, data, sc.defaultParallelism(), "eval")) {
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
}
