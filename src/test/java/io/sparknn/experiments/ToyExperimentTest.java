package io.sparknn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toy experiment end to end on Spark local mode with the homework's settings. */
class ToyExperimentTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void bothModelsSeparateTheBlobsAndTheRunHoldsItsTableAndPictures() throws Exception {
    Path run = ToyExperiment.run(new String[] {"--config", "conf/toy.yaml", "--set", "output.dir=" + tmp,
        "--set", "epochs=10"}, jsc());
    List<Map<String, String>> rows = Csv.read(run.resolve("results.csv"));
    assertEquals(List.of("logistic-regression", "relu-2-4-2"), rows.stream().map(r -> r.get("model")).toList());
    for (Map<String, String> r : rows) {
      assertTrue(Csv.number(r, "train_accuracy") >= 0.99, r.toString());
      assertTrue(Csv.number(r, "test_accuracy") >= 0.99, r.toString());
      assertTrue(Csv.number(r, "final_train_loss") < 0.1, r.toString());
      // 1000 points, batch 128: 8 iterations per epoch.
      assertEquals(80, Integer.parseInt(r.get("iterations")));
    }
    assertTrue(Files.readString(run.resolve("results.md")).contains("| relu-2-4-2"), "markdown table");
    for (String png : List.of("boundary-logistic-regression.png", "boundary-relu-2-4-2.png")) {
      int[] info = Csv.png(run.resolve(png));
      assertEquals(800, info[0]);
      assertEquals(600, info[1]);
      // Two washed-out regions, two point colours, axes and text: many colours, not a blank canvas.
      assertTrue(info[2] >= 6, png + " has only " + info[2] + " colours");
    }
    assertTrue(Csv.png(run.resolve("loss.png"))[2] > 4, "loss chart drawn");
    assertTrue(Files.exists(run.resolve("FINISHED")));
  }
}
