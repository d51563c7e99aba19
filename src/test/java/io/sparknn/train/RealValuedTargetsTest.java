package io.sparknn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.Dataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.testkit.SparkTest;
import io.sparknn.testkit.TrainerAssertions;
import io.sparknn.testkit.TrainingCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Regression through the trainers: the wine table's alcohol content as a real-valued target of its 12 other
 * measurements (each standardised), compared with the network's one output by MSE.
 */
@SparkTest
class RealValuedTargetsTest {
  private static final ModelSpec SPEC = new ModelSpec(12, List.of(LayerSpec.linear(12, 8), LayerSpec.of("Tanh"),
      LayerSpec.linear(8, 1)));

  /** Wine's 12 measurements after alcohol, standardised per column, with alcohol as the target. */
  static Dataset wine() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("data/wine/wine.csv"));
    int n = lines.size() - 1;
    double[][] v = new double[n][];
    for (int r = 0; r < n; r++) {
      String[] f = lines.get(r + 1).split(",");
      v[r] = new double[13];
      for (int c = 0; c < 13; c++) {
        v[r][c] = Double.parseDouble(f[c]);
      }
    }
    float[] x = new float[n * 12];
    float[] t = new float[n];
    for (int c = 1; c < 13; c++) {
      double mean = 0;
      double sq = 0;
      for (double[] row : v) {
        mean += row[c] / n;
      }
      for (double[] row : v) {
        sq += (row[c] - mean) * (row[c] - mean) / n;
      }
      for (int r = 0; r < n; r++) {
        x[r * 12 + c - 1] = (float) ((v[r][c] - mean) / Math.sqrt(sq));
      }
    }
    for (int r = 0; r < n; r++) {
      t[r] = (float) v[r][0];
    }
    return Dataset.ofFloatTargets(x, t, n, 12, 1);
  }

  @Test
  void sparkTrainerOnRealTargetsEndsBitIdenticalToLocalTrainer(JavaSparkContext sc) throws IOException {
    TrainingCase c = TrainingCase.of(SPEC, wine()).withCriterion("MSE").withTarget(Target.VALUES)
        .withPartitions(3).withOptions(TrainingOptions.of(16, 2, 0.01, 3));
    TrainerAssertions.assertDistributedEqualsLocal(sc, c);
  }

  @Test
  void localTrainingOnRealTargetsLowersTheSquaredError() throws IOException {
    Dataset wine = wine();
    Sequential model = SPEC.build(1);
    Objective mse = new Objective(new io.sparknn.nn.criterion.MSECriterion(), Target.VALUES);
    double before = Evaluator.evaluate(model, mse, wine).loss();
    new LocalTrainer(model, mse, new io.sparknn.optim.SgdMomentum(0.9), TrainingOptions.of(16, 20, 0.01, 3))
        .fit(wine, null, TrainingListener.none());
    double after = Evaluator.evaluate(model, mse, wine).loss();
    assertTrue(after < 0.5 && after < before / 100, "MSE of alcohol content " + before + " -> " + after);
    assertEquals(178, wine.rows());
  }
}
