package io.sparknn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.io.ModelFiles;
import io.sparknn.testkit.SparkTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class SparknnClassifierTest {
  private static final int[] LAYERS = {784, 32, 10};

  private static SparknnClassifier mlp() {
    return new SparknnClassifier().setLayers(LAYERS).setMaxIter(3).setBatchSize(64).setStepSize(0.1);
  }

  @Test
  void mnistFromAParquetDataFrameIsLearnedAndScoredWithTheThreeColumns(SparkSession spark, @TempDir Path dir) {
    Dataset<Row> train = MnistFrames.train(spark, 2000, 2, dir);
    Dataset<Row> test = MnistFrames.test(spark, 500, dir);
    SparknnClassificationModel model = mlp().fit(train);
    assertEquals(10, model.numClasses());
    assertEquals(784, model.numFeatures());
    double[] losses = model.epochLosses();
    assertEquals(3, losses.length);
    assertTrue(losses[2] < losses[0], "training loss falls: " + java.util.Arrays.toString(losses));

    Dataset<Row> scored = model.transform(test);
    assertEquals(List.of("features", "label", "prediction", "rawPrediction", "probability"),
        List.of(scored.columns()));
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    assertTrue(accuracy > 0.85, "test accuracy " + accuracy);
    Row first = scored.first();
    Vector p = first.getAs("probability");
    double sum = 0;
    for (double v : p.toArray()) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-9);
    assertEquals(p.argmax(), first.<Double>getAs("prediction"), 0.0);
    assertEquals(model.predict(first.getAs("features")), first.<Double>getAs("prediction"), 0.0);
    assertArrayEquals(model.predictRaw(first.getAs("features")).toArray(),
        first.<Vector>getAs("rawPrediction").toArray(), 1e-12);
  }

  @Test
  void theSameDataFrameAndSeedGiveBitIdenticalWeights(SparkSession spark, @TempDir Path dir) {
    Dataset<Row> train = MnistFrames.train(spark, 600, 2, dir);
    SparknnClassifier mlp = mlp().setMaxIter(1);
    assertArrayEquals(mlp.fit(train).weightsAndState(), mlp.fit(train).weightsAndState());
  }

  @Test
  void aSavedModelLoadsWithTheSamePredictionsAndItsFilesAreASparknnModel(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> train = MnistFrames.train(spark, 600, 2, dir);
    SparknnClassificationModel model = mlp().setMaxIter(1).fit(train).setActivationsCol("hidden")
        .setActivationsLayer(1);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    SparknnClassificationModel loaded = SparknnClassificationModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals("hidden", loaded.getActivationsCol());
    assertArrayEquals(model.weightsAndState(), loaded.weightsAndState());
    List<Row> before = model.transform(train).collectAsList();
    List<Row> after = loaded.transform(train).collectAsList();
    assertEquals(before, after);
    assertEquals(32, before.get(0).<Vector>getAs("hidden").size());

    ModelFiles.Loaded files = ModelFiles.load(dir.resolve("model/model").toString(),
        new org.apache.hadoop.conf.Configuration());
    assertArrayEquals(model.weightsAndState(), files.model().weightsAndState());
  }

  @Test
  void aModelOfTheWrongInputWidthOrLabelsOutsideItsClassesAreRefusedNamingThem(SparkSession spark,
      @TempDir Path dir) {
    Dataset<Row> train = MnistFrames.train(spark, 200, 2, dir);
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> mlp().setLayers(new int[] {100, 10}).fit(train));
    assertTrue(width.getMessage().contains("column 'features' holds vectors of 784 features, but the model "
        + "takes 100"), width.getMessage());
    Exception labels = assertThrows(Exception.class, () -> mlp().setLayers(new int[] {784, 5}).fit(train));
    assertTrue(String.valueOf(labels.getMessage()).contains("expected a class index, a whole number in [0, 5)"),
        labels.getMessage());
    IllegalArgumentException spec = assertThrows(IllegalArgumentException.class,
        () -> new SparknnClassifier().setModelSpec("[{type: Linear, out: 10}, {type: Tanh}]").fit(train));
    assertTrue(spec.getMessage().contains("must end with SoftMax or LogSoftMax"), spec.getMessage());
  }

  @Test
  void overFixedRowShardsTheSameRowsInTheSameOrderGiveTheSameBitsHoweverTheDataFrameIsPartitioned(
      SparkSession spark, @TempDir Path dir) {
    Dataset<Row> one = MnistFrames.train(spark, 600, 1, dir);
    List<Row> rows = one.collectAsList();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    java.util.function.IntFunction<Dataset<Row>> split = p -> spark.createDataFrame(sc.parallelize(rows, p),
        one.schema());
    SparknnClassifier sharded = mlp().setMaxIter(1).setShards(8);
    assertEquals(8, sharded.getShards());
    double[] w = sharded.fit(split.apply(1)).weightsAndState();
    for (int p : new int[] {3, 8, 12}) {
      assertArrayEquals(w, sharded.fit(split.apply(p)).weightsAndState(), p + " partitions (at most 8 are used)");
    }
    // without shards the partitions are the units of the sums, so their count shows in the last bits
    SparknnClassifier plain = mlp().setMaxIter(1);
    assertFalse(Arrays.equals(plain.fit(split.apply(2)).weightsAndState(),
        plain.fit(split.apply(3)).weightsAndState()));

    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> mlp().setShards(8).fit(split.apply(1).limit(5)));
    assertEquals("'shards' is 8, but the DataFrame has only 5 rows; expected at most one shard per row",
        few.getMessage());
    IllegalArgumentException local = assertThrows(IllegalArgumentException.class,
        () -> mlp().setShards(8).setLocalSteps(2).fit(split.apply(2)));
    assertTrue(local.getMessage().startsWith("'localSteps' is 2 and 'shards' is 8;"), local.getMessage());
    IllegalArgumentException six = assertThrows(IllegalArgumentException.class, () -> mlp().setShards(6));
    assertEquals("'shards' is 6; expected 0 (off) or a power of two", six.getMessage());
  }
}
