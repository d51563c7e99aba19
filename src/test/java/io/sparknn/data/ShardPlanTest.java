package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Fixed row shards: the same shards and schedule for every partition count; bad layouts refused. */
class ShardPlanTest {
  private static int[] cut(int rows, int partitions) {
    int[] sizes = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      sizes[p] = (int) ((long) (p + 1) * rows / partitions - (long) p * rows / partitions);
    }
    return sizes;
  }

  private static int[] shardCut(int rows, int partitions, int shards) {
    long[] cuts = ShardPlan.rowCuts(rows, partitions, shards);
    int[] sizes = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      sizes[p] = (int) (cuts[p + 1] - cuts[p]);
    }
    return sizes;
  }

  @Test
  void everyPartitionHoldsOneNodeOfTheTreeAndTheNodesDifferAtMostTwofold() {
    assertArrayEquals(new int[] {0, 8}, ShardPlan.cover(1, 8));
    assertArrayEquals(new int[] {0, 2, 4, 8}, ShardPlan.cover(3, 8));
    assertArrayEquals(new int[] {0, 1, 2, 4, 6, 8}, ShardPlan.cover(5, 8));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 8}, ShardPlan.cover(7, 8));
    for (int shards : new int[] {1, 2, 8, 64}) {
      for (int partitions = 1; partitions <= shards; partitions++) {
        int[] first = ShardPlan.cover(partitions, shards);
        int smallest = shards;
        int largest = 0;
        for (int p = 0; p < partitions; p++) {
          int span = first[p + 1] - first[p];
          assertEquals(1, Integer.bitCount(span), partitions + " over " + shards);
          assertEquals(0, first[p] % span, "partition " + p + " starts where a node of its span does");
          smallest = Math.min(smallest, span);
          largest = Math.max(largest, span);
        }
        assertTrue(largest <= 2 * smallest, partitions + " over " + shards);
      }
    }
    // A power of two of partitions is the plain contiguous cut.
    assertArrayEquals(cut(1003, 4), shardCut(1003, 4, 64));
  }

  @Test
  void everyShardVisitsTheSameGlobalRowsWhateverThePartitions() {
    int rows = 1003;
    ShardPlan one = ShardPlan.of(5, cut(rows, 1), 64, 8);
    for (int partitions = 1; partitions <= 8; partitions++) {
      ShardPlan plan = ShardPlan.of(5, shardCut(rows, partitions, 8), 64, 8);
      assertEquals(one.schedule().stepsPerEpoch(), plan.schedule().stepsPerEpoch());
      long[] cuts = ShardPlan.rowCuts(rows, partitions, 8);
      for (int k = 0; k < 8; k++) {
        int p = 0;
        while (plan.firstShard(p) + plan.shardCount(p) <= k) {
          p++;
        }
        int partitionStart = (int) cuts[p];
        int[] global = plan.permutation(2, k).clone();
        for (int i = 0; i < global.length; i++) {
          global[i] += partitionStart;
        }
        assertArrayEquals(one.permutation(2, k), global, "shard " + k + " over " + partitions + " partitions");
        for (int step = 0; step < plan.schedule().stepsPerEpoch(); step++) {
          assertEquals(one.schedule().start(k, step), plan.schedule().start(k, step));
        }
      }
    }
    // Shard 3 of 8 over 1003 rows is rows [376, 501): its permutation is those rows, each once.
    int[] perm = one.permutation(0, 3);
    Arrays.sort(perm);
    assertEquals(125, perm.length);
    assertEquals(376, perm[0]);
    assertEquals(500, perm[124]);
  }

  @Test
  void badLayoutsAreRefusedSayingWhatWasExpected() {
    assertEquals("shards is 6; expected a power of two (1, 2, 4, ..., 64, ...)",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(100, 2), 10, 6)).getMessage());
    assertEquals("training with 2 shards needs 1 to 2 partitions, so that each holds whole shards; got 4 partitions",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(100, 4), 10, 2)).getMessage());
    assertEquals("partition 0 holds 33 rows, but 8 shards over 100 rows need it to hold rows [0, 25), the shards 0 "
        + "to 1: cut the rows with ShardPlan.rowCuts",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(100, 3), 10, 8)).getMessage());
    assertEquals("16 shards for only 10 rows; expected at most one shard a row",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(10, 2), 10, 16)).getMessage());
    assertEquals("partition 0 holds 40 rows, but 4 shards over 100 rows need it to hold rows [0, 50), the shards 0 "
        + "to 1: cut the rows with ShardPlan.rowCuts",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, new int[] {40, 60}, 10, 4)).getMessage());
  }
}
