package io.sparknn.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testkit.SparkTest;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SparknnClassifier as a stage of MLlib's Pipeline and tuning tools, on the wine table (not images). */
@SparkTest
class SparknnPipelineTest {
  private static Pipeline pipeline(Dataset<Row> wine, SparknnClassifier classifier) {
    VectorAssembler assembler = new VectorAssembler().setInputCols(WineFrames.features(wine)).setOutputCol("raw");
    StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
    return new Pipeline().setStages(new PipelineStage[] {assembler, scaler, classifier});
  }

  private static SparknnClassifier classifier() {
    return new SparknnClassifier().setLayers(new int[] {13, 16, 3}).setLabelCol("class").setMaxIter(12)
        .setBatchSize(32).setStepSize(0.05);
  }

  private static MulticlassClassificationEvaluator accuracy() {
    return new MulticlassClassificationEvaluator().setLabelCol("class").setMetricName("accuracy");
  }

  @Test
  void assemblerScalerAndClassifierLearnTheWineTableAndSurviveAPipelineModelSaveAndLoad(SparkSession spark,
      @TempDir Path dir) throws Exception {
    Dataset<Row> wine = WineFrames.read(spark, 2);
    Dataset<Row>[] split = wine.randomSplit(new double[] {0.7, 0.3}, 7);
    PipelineModel fitted = pipeline(wine, classifier()).fit(split[0]);
    Dataset<Row> scored = fitted.transform(split[1]);
    double acc = accuracy().evaluate(scored);
    assertTrue(acc > 0.85, "held-out accuracy on wine " + acc);

    String path = dir.resolve("pipeline-model").toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertTrue(loaded.stages()[2] instanceof SparknnClassificationModel, loaded.stages()[2].toString());
    List<Row> before = scored.select("rawPrediction", "probability", "prediction").collectAsList();
    List<Row> after = loaded.transform(split[1]).select("rawPrediction", "probability", "prediction")
        .collectAsList();
    assertEquals(before, after);
  }

  @Test
  void aModelSpecWithBatchNormalizationAndDropoutTrainsInThePipeline(SparkSession spark) {
    Dataset<Row> wine = WineFrames.read(spark, 2);
    String spec = "[{type: Linear, out: 16}, {type: BatchNormalization}, {type: ReLU}, {type: Dropout, p: 0.2},"
        + " {type: Linear, out: 3}, {type: SoftMax}]";
    SparknnClassifier c = new SparknnClassifier().setModelSpec(spec).setLabelCol("class").setMaxIter(12)
        .setBatchSize(32).setStepSize(0.05);
    PipelineModel fitted = pipeline(wine, c).fit(wine);
    SparknnClassificationModel model = (SparknnClassificationModel) fitted.stages()[2];
    assertEquals(List.of("Linear", "BatchNormalization", "ReLU", "Dropout", "Linear", "SoftMax"),
        model.layerSpecs().stream().map(l -> l.type()).toList());
    assertEquals(13, model.numFeatures());
    assertTrue(accuracy().evaluate(fitted.transform(wine)) > 0.85);
  }

  @Test
  void anUnfittedPipelineKeepsTheClassifiersParamsThroughSaveAndLoad(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Dataset<Row> wine = WineFrames.read(spark, 1);
    SparknnClassifier c = classifier().setSolver("adam").setActivation("Tanh").setSeed(7);
    String path = dir.resolve("pipeline").toString();
    pipeline(wine, c).write().save(path);
    SparknnClassifier loaded = (SparknnClassifier) Pipeline.load(path).getStages()[2];
    assertEquals(c.uid(), loaded.uid());
    assertArrayEquals(c.getLayers(), loaded.getLayers());
    assertEquals("adam", loaded.getSolver());
    assertEquals("Tanh", loaded.getActivation());
    assertEquals(7, loaded.getSeed());
    assertEquals("class", loaded.getLabelCol());
  }

  @Test
  void aTwoFoldCrossValidatorPicksAStepSizeFromTheGrid(SparkSession spark) {
    Dataset<Row> wine = WineFrames.read(spark, 2);
    SparknnClassifier c = classifier().setMaxIter(8);
    ParamMap[] grid = new ParamGridBuilder().addGrid(c.stepSize(), new double[] {1e-4, 0.05}).build();
    assertEquals(2, grid.length);
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline(wine, c)).setEstimatorParamMaps(grid)
        .setEvaluator(accuracy()).setNumFolds(2).setSeed(3).fit(wine);
    double[] metrics = cv.avgMetrics();
    assertEquals(2, metrics.length);
    // 1e-4 barely moves the weights in 8 epochs of a few iterations; 0.05 learns the table.
    assertTrue(metrics[1] > metrics[0] && metrics[1] > 0.85, java.util.Arrays.toString(metrics));
    SparknnClassificationModel best = (SparknnClassificationModel) ((PipelineModel) cv.bestModel()).stages()[2];
    assertEquals(3, best.numClasses());
    assertEquals(13, best.numFeatures());
    assertEquals(0.05, ((SparknnClassifier) ((Pipeline) cv.getEstimator()).getStages()[2]).copy(grid[1])
        .getStepSize());
  }

  @Test
  void aTrainValidationSplitOverSolversFitsTheBestOnAllTheData(SparkSession spark) {
    Dataset<Row> wine = WineFrames.read(spark, 2);
    SparknnClassifier c = classifier();
    ParamMap[] grid = new ParamGridBuilder().addGrid(c.solver(),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of("sgd", "adam"))).build();
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(pipeline(wine, c))
        .setEstimatorParamMaps(grid).setEvaluator(accuracy()).setTrainRatio(0.7).setSeed(5).fit(wine);
    assertEquals(2, tvs.validationMetrics().length);
    for (double m : tvs.validationMetrics()) {
      assertTrue(m > 0.8, java.util.Arrays.toString(tvs.validationMetrics()));
    }
    assertTrue(accuracy().evaluate(tvs.transform(wine)) > 0.9);
  }
}
