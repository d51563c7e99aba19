package io.sparknn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testkit.SparkTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SparknnRegressor on a real-valued column of the wine table: alcohol content from the other measurements. */
@SparkTest
class SparknnRegressorTest {
  private static Pipeline pipeline(Dataset<Row> wine, SparknnRegressor regressor) {
    String[] inputs = Arrays.stream(WineFrames.features(wine)).filter(c -> !c.equals("alcohol"))
        .toArray(String[]::new);
    return new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true), regressor});
  }

  @Test
  void alcoholIsPredictedFromTheOtherMeasurementsAndTheModelSurvivesAPipelineSave(SparkSession spark,
      @TempDir Path dir) throws Exception {
    Dataset<Row> wine = WineFrames.read(spark, 2);
    Dataset<Row>[] split = wine.randomSplit(new double[] {0.7, 0.3}, 11);
    SparknnRegressor regressor = new SparknnRegressor().setLayers(new int[] {12, 8, 1}).setActivation("Tanh")
        .setLabelCol("alcohol").setMaxIter(20).setBatchSize(32).setStepSize(0.02);
    PipelineModel fitted = pipeline(wine, regressor).fit(split[0]);
    SparknnRegressionModel model = (SparknnRegressionModel) fitted.stages()[2];
    model.setActivationsCol("hidden").setActivationsLayer(1);
    Dataset<Row> scored = fitted.transform(split[1]);
    double r2 = new RegressionEvaluator().setLabelCol("alcohol").setMetricName("r2").evaluate(scored);
    assertTrue(r2 > 0.3, "held-out r2 of alcohol content " + r2);
    Row first = scored.first();
    assertEquals(8, first.<Vector>getAs("hidden").size());
    assertEquals(model.predict(first.getAs("features")), first.<Double>getAs("prediction"), 1e-12);

    String path = dir.resolve("regression-pipeline").toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> before = scored.select("prediction", "hidden").collectAsList();
    assertEquals(before, loaded.transform(split[1]).select("prediction", "hidden").collectAsList());
  }

  @Test
  void aModelOfMoreThanOneOutputIsRefused(SparkSession spark) {
    Dataset<Row> wine = WineFrames.read(spark, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline(wine,
        new SparknnRegressor().setLayers(new int[] {12, 3}).setLabelCol("alcohol")).fit(wine));
    assertTrue(e.getMessage().contains("the model gives 3 outputs per row; a regressor's model gives one"),
        e.getMessage());
  }

  @Test
  void inRoundsOfLocalStepsItLearnsAlcoholTooAndWithAdamItIsRefused(SparkSession spark) {
    Dataset<Row> wine = WineFrames.read(spark, 2);
    Dataset<Row>[] split = wine.randomSplit(new double[] {0.7, 0.3}, 11);
    // About 4 batches an epoch: rounds of 2 leave the driver 2 momentum steps an epoch, so twice the epochs.
    SparknnRegressor regressor = new SparknnRegressor().setLayers(new int[] {12, 8, 1}).setActivation("Tanh")
        .setLabelCol("alcohol").setMaxIter(40).setBatchSize(32).setStepSize(0.02).setLocalSteps(2);
    assertEquals(2, regressor.getLocalSteps());
    PipelineModel fitted = pipeline(wine, regressor).fit(split[0]);
    double r2 = new RegressionEvaluator().setLabelCol("alcohol").setMetricName("r2")
        .evaluate(fitted.transform(split[1]));
    assertTrue(r2 > 0.3, "held-out r2 of alcohol content with 2 local steps a round " + r2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pipeline(wine, regressor.copy(new org.apache.spark.ml.param.ParamMap()).setSolver("adam")).fit(wine));
    assertEquals("'localSteps' is 2, but 'solver' is 'adam'; the driver steps with each round's mean displacement, "
        + "which only sgd moves the weights by: set 'solver' to sgd or 'localSteps' to 1", e.getMessage());
  }

  @Test
  void overFixedRowShardsItsWeightsDoNotDependOnTheDataFramesPartitions(SparkSession spark) {
    Dataset<Row> wine = WineFrames.read(spark, 1);
    String[] inputs = Arrays.stream(WineFrames.features(wine)).filter(c -> !c.equals("alcohol"))
        .toArray(String[]::new);
    Dataset<Row> assembled = new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(wine)
        .select("features", "alcohol");
    List<Row> rows = assembled.collectAsList();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparknnRegressor regressor = new SparknnRegressor().setLayers(new int[] {12, 8, 1}).setActivation("Tanh")
        .setLabelCol("alcohol").setMaxIter(2).setBatchSize(32).setStepSize(0.001).setShards(4);
    double[] one = regressor.fit(spark.createDataFrame(sc.parallelize(rows, 1), assembled.schema()))
        .weightsAndState();
    double[] three = regressor.fit(spark.createDataFrame(sc.parallelize(rows, 3), assembled.schema()))
        .weightsAndState();
    assertTrue(Arrays.stream(one).allMatch(Double::isFinite), "a model that trained, not one that diverged");
    assertArrayEquals(one, three);
  }
}
