package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.run.JobMain;
import io.sparknn.testkit.IdxFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the IDX files' headers tell (their shapes, the model's input width against them) is checked before Spark
 * starts: exit 2, one line naming the file or key, nothing written. No Spark context is passed: a job that got
 * as far as starting one would start its own. (The classes come from the labels, which the executors read:
 * {@code TrainJobTableTest} checks the model's output against them.)
 */
class TrainJobValidationTest {
  @TempDir
  Path tmp;

  private String run(String... sets) {
    String[] args = new String[2 + 2 * sets.length];
    args[0] = "--config";
    args[1] = "conf/mnist-mlp.yaml";
    for (int i = 0; i < sets.length; i++) {
      args[2 + 2 * i] = "--set";
      args[3 + 2 * i] = sets[i];
    }
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      assertEquals(JobMain.BAD_INPUT, JobMain.run("TrainJob", () -> TrainJob.train(args)));
    } finally {
      System.setErr(err);
    }
    assertFalse(Files.exists(tmp.resolve("out")), "nothing was written");
    return buf.toString().strip();
  }

  @Test
  void testImagesOfAnotherShapeThanTheTrainingImagesAreRefusedNamingTheFile() {
    Path data = tmp.resolve("data");
    IdxFixtures.write(data, 28, 20, 600);
    String message = run("data.dir=" + data, "data.limit=0", "data.validation=100", "output.dir=" + tmp.resolve("out"));
    assertTrue(message.contains("t10k-images-idx3-ubyte") && message.contains("holds images of 400 pixels")
        && message.contains("784"), message);
  }
}
