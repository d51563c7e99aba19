package io.sparknn.cluster;

import io.sparknn.ml.SparknnClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark application for the cluster tests: fits VectorAssembler → StandardScaler → SparknnClassifier on the
 * wine table (read in two partitions: a small {@code maxPartitionBytes} splits the one CSV file), saves the
 * {@code PipelineModel} to {@code OUT/pipeline}, loads it back and writes its predictions of every row to
 * {@code OUT/predictions.txt}. Args: {@code WINE_CSV OUT}.
 */
public final class WinePipelineApp {
  private WinePipelineApp() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().appName("sparknn wine pipeline").getOrCreate();
    try {
      run(spark, args[0], Path.of(args[1]));
    } finally {
      spark.stop();
    }
  }

  /** Fits, saves, reloads and scores as the class comment says; returns the number of partitions read. */
  public static int run(SparkSession spark, String csv, Path out) throws Exception {
    spark.conf().set("spark.sql.files.maxPartitionBytes", "6000");
    Dataset<Row> wine = spark.read().option("header", "true").option("inferSchema", "true").csv(csv);
    String[] inputs = Arrays.stream(wine.columns()).filter(c -> !c.equals("class")).toArray(String[]::new);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(inputs).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        new SparknnClassifier().setLayers(new int[] {13, 16, 3}).setLabelCol("class").setMaxIter(5)
            .setBatchSize(32).setStepSize(0.05)});
    PipelineModel fitted = pipeline.fit(wine);
    fitted.write().save(out.resolve("pipeline").toString());
    PipelineModel loaded = PipelineModel.load(out.resolve("pipeline").toString());
    String predictions = loaded.transform(wine).select("prediction").collectAsList().stream()
        .map(r -> String.valueOf(r.getDouble(0))).collect(Collectors.joining("\n"));
    Files.writeString(out.resolve("predictions.txt"), predictions + "\n");
    return wine.javaRDD().getNumPartitions();
  }
}
