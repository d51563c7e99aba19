package io.sparknn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class PartitionJobsTest extends SparkTestBase {
  @Test
  void returnsEachPartitionsElementInPartitionOrder() {
    List<String> got = PartitionJobs.onePerPartition(jsc().sc(),
        jsc().parallelize(List.of("a", "b", "c", "d"), 4).rdd(), String.class);
    assertEquals(List.of("a", "b", "c", "d"), got);
  }

  @Test
  void aPartitionWithTwoElementsFailsNamingIt() {
    SparkException e = assertThrows(SparkException.class, () -> PartitionJobs.onePerPartition(jsc().sc(),
        jsc().parallelize(List.of(1, 2, 3), 2).rdd(), Integer.class));
    assertTrue(e.getMessage().contains("produced more than one result"), e.getMessage());
  }
}
