package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.run.JobMain;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.IdxFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job on tables: a run from Parquet written by the convert job, and each kind of bad table refused
 * by the executors' checks with exit 2, a message naming the table, the column and the first bad row, and no
 * run directory.
 */
class TrainJobTableTest extends SparkTestBase {
  @TempDir
  Path tmp;

  private SparkSession spark() {
    return SparkSession.builder().sparkContext(jsc().sc()).getOrCreate();
  }

  private String[] args(String train, String test, String... extra) {
    List<String> a = new ArrayList<>(List.of("--config", "conf/mnist-parquet.yaml", "--set",
        "output.dir=" + tmp.resolve("out"), "--set", "data.train=" + train, "--set", "data.test=" + test, "--set",
        "data.validation=20", "--set", "epochs=1", "--set", "batch_size=50", "--set", "data.partitions=2"));
    for (String e : extra) {
      a.add("--set");
      a.add(e);
    }
    return a.toArray(new String[0]);
  }

  /** Runs the job on a table of 60 rows of 4 features with {@code bad} at row 37; returns stderr. */
  private String refused(DataType features, Object bad, Object badLabel, String... extra) {
    StructType schema = new StructType().add("features", features).add("label", badLabel instanceof String
        ? DataTypes.StringType : DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Object x = features.equals(SQLDataTypes.VectorType()) ? Vectors.dense(i, 1, 2, 3) : new double[] {i, 1, 2, 3};
      Object y = badLabel instanceof String ? String.valueOf(i % 3) : (double) (i % 3);
      rows.add(RowFactory.create(i == 37 && bad != null ? bad : x, i == 37 && badLabel != null ? badLabel : y));
    }
    String path = tmp.resolve("bad.parquet").toString();
    spark().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    String[] a = args(path, path, "model.4.out=3");
    String[] all = java.util.Arrays.copyOf(a, a.length + 2 * extra.length);
    for (int i = 0; i < extra.length; i++) {
      all[a.length + 2 * i] = "--set";
      all[a.length + 2 * i + 1] = extra[i];
    }
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      assertEquals(JobMain.BAD_INPUT, JobMain.run("TrainJob", () -> TrainJob.train(all, jsc())));
    } finally {
      System.setErr(err);
    }
    assertFalse(Files.exists(tmp.resolve("out")), "no run directory");
    String message = buf.toString().strip();
    assertTrue(message.startsWith("TrainJob: error: " + path), message);
    return message;
  }

  @Test
  void aMissingColumnIsRefusedNamingIt() {
    String m = refused(SQLDataTypes.VectorType(), null, null, "data.features=pixels");
    assertTrue(m.contains("has no column 'pixels'"), m);
  }

  @Test
  void aLabelColumnOfTheWrongTypeIsRefused() {
    String m = refused(SQLDataTypes.VectorType(), null, "x");
    assertTrue(m.contains("column 'label' is string; expected a numeric label column"), m);
  }

  @Test
  void aVectorOfAnotherWidthIsRefusedAtItsRow() {
    String m = refused(SQLDataTypes.VectorType(), Vectors.dense(1, 2, 3), null);
    assertTrue(m.contains("column 'features' at row 37 of partition 0 has 3 features"), m);
  }

  @Test
  void aLabelOutsideTheClassesIsRefusedAtItsRow() {
    String m = refused(SQLDataTypes.VectorType(), null, 3.0, "data.classes=3");
    assertTrue(m.contains("column 'label' at row 37 of partition 0 is 3.0; expected a class index"), m);
  }

  @Test
  void nanFeaturesAreRefusedAtTheirRow() {
    String m = refused(DataTypes.createArrayType(DataTypes.DoubleType), new double[] {1, Double.NaN, 0, 0}, null);
    assertTrue(m.contains("column 'features' at row 37 of partition 0 has NaN at index 1"), m);
  }

  @Test
  void theMainJobRunsFromParquetWrittenByTheConvertJob() throws Exception {
    Path idx = tmp.resolve("idx");
    IdxFixtures.write(idx, Datasets.mnistTrain(400), Datasets.mnistTest(100));
    String out = tmp.resolve("mnist-parquet").toString();
    ConvertJob.convert(new String[] {out, idx.toString()}, jsc());
    Path run = TrainJob.train(args(out + "/train", out + "/test"), jsc());
    assertTrue(Files.exists(run.resolve("FINISHED")), "run finished");
    String metrics = Files.readString(run.resolve("metrics.jsonl"));
    assertTrue(metrics.contains("test_accuracy"), metrics);
    assertTrue(Files.readString(run.resolve("config.yaml")).contains("format: parquet"));

    // The saved model, evaluated by EvaluateJob on the same Parquet test table, scores what the run reported.
    double testAccuracy = ((Number) io.sparknn.report.MetricsLog.read(run.resolve("metrics.jsonl")).get(1)
        .get("test_accuracy")).doubleValue();
    io.sparknn.train.Evaluation e = EvaluateJob.evaluate(new String[] {run.resolve("model").toString(), "--set",
        "data.format=parquet", "--set", "data.test=" + out + "/test"}, jsc());
    assertEquals(100, e.count());
    assertEquals(testAccuracy, e.accuracy(), 0.0);
  }

  @Test
  void anIdxLabelOutsideTheConfiguredClassesIsRefusedNamingTheLabelsFileAndRow() {
    Path data = tmp.resolve("data");
    IdxFixtures.write(data, 28, 28, 600);
    String[] a = {"--config", "conf/mnist-mlp.yaml", "--set", "data.dir=" + data, "--set", "data.validation=100",
        "--set", "data.classes=9", "--set", "model.4.out=9", "--set", "output.dir=" + tmp.resolve("out")};
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      assertEquals(JobMain.BAD_INPUT, JobMain.run("TrainJob", () -> TrainJob.train(a, jsc())));
    } finally {
      System.setErr(err);
    }
    assertFalse(Files.exists(tmp.resolve("out")), "no run directory");
    String message = buf.toString().strip();
    // Labels cycle through 0-9, so the only label out of range, 9, sits at an index ending in 9; which partition
    // fails first is up to Spark.
    assertTrue(message.matches(".*train-labels-idx1-ubyte: label 9 at index \\d*9 is out of range; expected labels"
        + " 0\\.\\.8 for 9 classes"), message);
  }

  @Test
  void aModelWhoseOutputDoesNotFitTheClassesIsRefusedNamingBoth() {
    Path data = tmp.resolve("data");
    IdxFixtures.write(data, 28, 28, 600);
    String[] a = {"--config", "conf/mnist-mlp.yaml", "--set", "data.dir=" + data, "--set", "data.validation=100",
        "--set", "model.4.out=5", "--set", "output.dir=" + tmp.resolve("out")};
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      assertEquals(JobMain.BAD_INPUT, JobMain.run("TrainJob", () -> TrainJob.train(a, jsc())));
    } finally {
      System.setErr(err);
    }
    assertFalse(Files.exists(tmp.resolve("out")), "no run directory");
    String message = buf.toString().strip();
    assertTrue(message.endsWith("key 'model': the model gives 5 outputs per row, but the data has 10 classes; "
        + "the last Linear's 'out' must be 10"), message);
  }
}
