package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testing.SparkTestBase;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.rdd.RDD;
import org.junit.jupiter.api.Test;

class PartitionJobsTest extends SparkTestBase {
  /** Objects the tasks return; in local mode they live in the same JVM as the test. */
  private static final double[][] SHARED = {{1.0, 2.0}, {3.0}};

  @Test
  void returnsEachPartitionsElementInPartitionOrder() {
    List<String> got = PartitionJobs.onePerPartition(jsc().sc(),
        jsc().parallelize(List.of("a", "b", "c", "d"), 4).rdd(), String.class);
    assertEquals(List.of("a", "b", "c", "d"), got);
    assertEquals(0, SameJvmResults.openJobs());
  }

  @Test
  void aPartitionWithTwoElementsFailsNamingIt() {
    SparkException e = assertThrows(SparkException.class, () -> PartitionJobs.onePerPartition(jsc().sc(),
        jsc().parallelize(List.of(1, 2, 3), 2).rdd(), Integer.class));
    assertTrue(e.getMessage().contains("produced more than one result"), e.getMessage());
    assertEquals(0, SameJvmResults.openJobs(), "a failed job leaves no mailbox open");
  }

  @Test
  void inLocalModeResultsArriveByReferenceAndOtherwiseAsCopies() {
    RDD<double[]> rdd = jsc().parallelize(List.of(0, 1), 2).map(i -> SHARED[i]).rdd();
    List<double[]> byReference = PartitionJobs.onePerPartition(jsc().sc(), rdd, double[].class, true);
    assertSame(SHARED[0], byReference.get(0));
    assertSame(SHARED[1], byReference.get(1));
    List<double[]> serialised = PartitionJobs.onePerPartition(jsc().sc(), rdd, double[].class, false);
    assertNotSame(SHARED[0], serialised.get(0));
    assertEquals(List.of(1.0, 2.0, 3.0), List.of(serialised.get(0)[0], serialised.get(0)[1], serialised.get(1)[0]));
    assertEquals(0, SameJvmResults.openJobs());
  }

  @Test
  void aDepositAfterTheJobClosedTravelsAsTheResultItself() {
    SameJvmResults.open("job-1");
    Object ticket = SameJvmResults.deposit("job-1", 3, "gradient");
    assertEquals(new SameJvmResults.Ticket("job-1", 3), assertInstanceOf(SameJvmResults.Ticket.class, ticket));
    assertEquals(Map.of(3, "gradient"), SameJvmResults.close("job-1"));
    assertEquals("late", SameJvmResults.deposit("job-1", 3, "late"), "a closed box takes nothing");
    assertEquals("off", SameJvmResults.deposit(null, 0, "off"));
    assertEquals(0, SameJvmResults.openJobs());
  }
}
