package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The schedule's promise, for every batch size and partitioning: each row once per epoch, no empty batch. */
class BatchScheduleTest {
  private static void checkPromise(int[] sizes, int batch) {
    BatchSchedule s = new BatchSchedule(7, sizes, batch);
    int total = 0;
    for (int n : sizes) {
      total += n;
    }
    int steps = s.stepsPerEpoch();
    assertEquals((total + batch - 1) / batch, steps);
    for (int p = 0; p < sizes.length; p++) {
      assertEquals(0, s.start(p, 0));
      assertEquals(sizes[p], s.end(p, steps - 1), "partition " + p + " ends the epoch at its last row");
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int step = 0; step < steps; step++) {
      int rows = 0;
      for (int p = 0; p < sizes.length; p++) {
        int share = s.end(p, step) - s.start(p, step);
        assertTrue(share >= 0, "shares are consecutive chunks");
        rows += share;
      }
      assertEquals(rows, s.globalBatchRows(step));
      assertTrue(rows >= 1 && rows <= batch, "step " + step + " of " + java.util.Arrays.toString(sizes) + " @ "
          + batch + " has " + rows + " rows");
      min = Math.min(min, rows);
      max = Math.max(max, rows);
    }
    assertTrue(max - min <= sizes.length, "batches are nearly equal: " + min + ".." + max);
  }

  @Test
  void everyBatchSizeAndPartitioningKeepsThePromise() {
    int[][] partitionings = {{1}, {7}, {1001}, {100, 100}, {3, 200}, {50, 49, 1}, {10, 10, 10, 10}, {0, 25, 5},
        {13, 1, 1, 1, 1, 1, 1, 1}};
    for (int[] sizes : partitionings) {
      for (int batch = 1; batch <= 40; batch++) {
        checkPromise(sizes, batch);
      }
      checkPromise(sizes, 1000);
    }
  }

  @Test
  void aGlobalBatchOfOneRowOverTwoPartitionsIsNeverEmpty() {
    // 300 rows less 100 for validation, on local[2], batch 1: every second step used to have no row at all.
    BatchSchedule s = new BatchSchedule(42, new int[] {100, 100}, 1);
    for (int step = 0; step < s.stepsPerEpoch(); step++) {
      assertEquals(1, s.globalBatchRows(step));
    }
    BatchSchedule four = new BatchSchedule(42, new int[] {3, 3, 3, 3}, 2);
    for (int step = 0; step < four.stepsPerEpoch(); step++) {
      assertEquals(2, four.globalBatchRows(step));
    }
  }

  @Test
  void partitionsWithARowForEveryStepAreCutAsBefore() {
    // The cut of every run whose partitions hold a row per step, so that their results reproduce.
    int[] sizes = {27500, 27500};
    BatchSchedule s = new BatchSchedule(42, sizes, 128);
    for (int step = 0; step <= s.stepsPerEpoch(); step++) {
      for (int p = 0; p < 2; p++) {
        assertEquals((int) ((long) step * sizes[p] / s.stepsPerEpoch()), s.start(p, step));
      }
    }
  }
}
