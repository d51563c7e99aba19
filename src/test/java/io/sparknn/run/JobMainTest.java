package io.sparknn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparknn.train.TrainingDivergedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** The one exit-code mapping of every job: done, bad input, diverged, failed; Spark's wrapping seen through. */
class JobMainTest {
  @Test
  void mapsEachOutcomeToItsCode() {
    assertEquals(JobMain.DONE, quietly(() -> "ok").code);
    assertEquals(JobMain.BAD_INPUT, quietly(() -> {
      throw new IllegalArgumentException("conf/x.yaml: key 'epochs' is -1");
    }).code);
    assertEquals(JobMain.DIVERGED, quietly(() -> {
      throw new TrainingDivergedException(3, 1, Double.NaN, 0.5);
    }).code);
    assertEquals(JobMain.FAILED, quietly(() -> {
      throw new IllegalStateException("a bug");
    }).code);
  }

  @Test
  void badInputFoundOnAnExecutorIsStillBadInput() {
    Outcome o = quietly(() -> {
      throw new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times",
          new IllegalArgumentException("data/x: row 7 has 783 features, expected 784"));
    });
    assertEquals(JobMain.BAD_INPUT, o.code);
    assertEquals("Job: error: data/x: row 7 has 783 features, expected 784\n", o.stderr);
  }

  private record Outcome(int code, String stderr) {}

  private static Outcome quietly(Callable<?> body) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      int code = JobMain.run("Job", body);
      return new Outcome(code, buf.toString());
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aLibrarysOwnIllegalArgumentInsideATaskFailureIsAFailureNotBadInput() {
    IllegalArgumentException kryo = new IllegalArgumentException("Unable to create serializer for class X");
    kryo.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("com.esotericsoftware.kryo.Kryo", "newDefaultSerializer", "Kryo.java", 400)});
    assertEquals(JobMain.FAILED, quietly(() -> {
      throw new SparkException("Job aborted due to stage failure", kryo);
    }).code);
  }
}
