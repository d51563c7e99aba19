package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.run.JobMain;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.LocalSpark;
import io.sparknn.testkit.ParquetFixtures;
import io.sparknn.testkit.ParquetFixtures.Features;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MllibSideBySideTest {
  @Test
  void bothEstimatorsAreFittedOnTheSameParquetTableAndReported(@TempDir Path dir) throws Exception {
    SparkSession spark = LocalSpark.session();
    String train = ParquetFixtures.write(spark, Datasets.mnistTrain(400), Features.ML_VECTOR, dir.resolve("train"));
    String test = ParquetFixtures.write(spark, Datasets.mnistTest(200), Features.ML_VECTOR, dir.resolve("test"));
    LocalSpark.stop();
    List<MllibSideBySide.Fit> fits = MllibSideBySide.run(new String[] {"--set", "train=" + train, "--set",
        "test=" + test, "--set", "layers=784,16,10", "--set", "epochs=3", "--set", "batch_size=32", "--set",
        "mllib_iter=3", "--set", "out=" + dir.resolve("runs")});
    assertEquals(List.of("SparknnClassifier", "MultilayerPerceptronClassifier"),
        fits.stream().map(MllibSideBySide.Fit::estimator).toList());
    assertTrue(fits.get(0).testAccuracy() > 0.6, "sparknn on 400 digits, 3 epochs: " + fits.get(0));
    Path run;
    try (var s = Files.list(dir.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
    String table = Files.readString(run.resolve("side-by-side.md"));
    assertTrue(table.contains("400 training rows") && table.contains("| MultilayerPerceptronClassifier | maxIter 3"),
        table);
  }

  @Test
  void anUnknownKeyIsBadInput() {
    assertEquals(JobMain.BAD_INPUT, JobMain.run("MllibSideBySide",
        () -> MllibSideBySide.run(new String[] {"--set", "epoch=3"})));
  }
}
