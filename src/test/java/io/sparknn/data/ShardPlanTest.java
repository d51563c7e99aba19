package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Fixed row shards: the same shards and schedule for every power-of-two partition count; bad layouts refused. */
class ShardPlanTest {
  private static int[] cut(int rows, int partitions) {
    int[] sizes = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      sizes[p] = (int) ((long) (p + 1) * rows / partitions - (long) p * rows / partitions);
    }
    return sizes;
  }

  @Test
  void everyShardVisitsTheSameGlobalRowsWhateverThePartitions() {
    int rows = 1003;
    ShardPlan one = ShardPlan.of(5, cut(rows, 1), 64, 8);
    for (int partitions : new int[] {1, 2, 4, 8}) {
      int[] sizes = cut(rows, partitions);
      ShardPlan plan = ShardPlan.of(5, sizes, 64, 8);
      assertEquals(8 / partitions, plan.shardsPerPartition());
      assertEquals(one.schedule().stepsPerEpoch(), plan.schedule().stepsPerEpoch());
      for (int k = 0; k < 8; k++) {
        int p = k / plan.shardsPerPartition();
        int partitionStart = (int) ((long) p * rows / partitions);
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
    assertEquals("training with 8 shards needs a power of two of partitions, at most 8, so that each holds whole "
        + "shards; got 3 partitions",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(100, 3), 10, 8)).getMessage());
    assertEquals("training with 2 shards needs a power of two of partitions, at most 2, so that each holds whole "
        + "shards; got 4 partitions",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(100, 4), 10, 2)).getMessage());
    assertEquals("16 shards for only 10 rows; expected at most one shard a row",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, cut(10, 2), 10, 16)).getMessage());
    assertEquals("partition 0 holds 40 rows, but 4 shards over 100 rows need it to hold rows [0, 50): the "
        + "partitions must be the contiguous, nearly equal cut of the rows",
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(1, new int[] {40, 60}, 10, 4)).getMessage());
  }
}
