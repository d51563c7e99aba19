package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.holdenkarau.spark.testing.JavaRDDComparisons;
import io.sparknn.testing.SparkTestBase;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PartitionedDatasetTest extends SparkTestBase {
  private static final Dataset BLOBS = GaussianBlobs.generate(50, 3);

  @Test
  void eachPartitionHoldsOneContiguousBlockInOrder() {
    try (PartitionedDataset d = PartitionedDataset.distribute(jsc(), BLOBS, 3, "blobs")) {
      Dataset[] blocks = PartitionedDataset.split(BLOBS, 3);
      JavaRDDComparisons.assertRDDEqualsWithOrder(d.rdd(), jsc().parallelize(Arrays.asList(blocks), 3));
      assertArrayEquals(new int[] {33, 33, 34}, d.sizes());
      assertEquals(100, d.rows());
      assertEquals(3, d.rdd().getNumPartitions());
    }
  }

  @Test
  void theBlocksTogetherAreTheWholeDataSet() {
    Dataset[] blocks = PartitionedDataset.split(BLOBS, 4);
    int row = 0;
    for (Dataset b : blocks) {
      for (int r = 0; r < b.rows(); r++, row++) {
        assertEquals(BLOBS.feature(row, 0), b.feature(r, 0));
        assertEquals(BLOBS.label(row), b.label(r));
      }
    }
    assertEquals(100, row);
  }

  @Test
  void morePartitionsThanRowsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> PartitionedDataset.split(BLOBS.slice(0, 2), 3));
  }
}
