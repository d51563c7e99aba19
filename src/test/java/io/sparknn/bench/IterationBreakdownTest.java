package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A breakdown measured in stretches: the totals of every stretch summed before dividing, the median taken over
 * every stretch's iterations; the option that sets the number of stretches checked.
 */
class IterationBreakdownTest {
  private static IterationBreakdown.Stretch stretch(String path, long iterations, double computeNs, double[] gaps) {
    // 2 partitions: one task per partition per iteration, each deserialised in 1 ms
    return new IterationBreakdown.Stretch("cluster 2x1", 2, 128, path, "broadcast", iterations, 1e6 * iterations,
        0, computeNs, 2 * iterations, 2.0 * iterations, 0, 0, 0, 0, 0, 100.0 * iterations, 0, 0, 0, gaps,
        5.0 * iterations);
  }

  @Test
  void stretchesAreSummedAndTheirMedianTakenOverEveryIteration() {
    // a slow first stretch and a fast second: per-stretch medians 40 and 11, their mean 25.5; over all seven
    // gaps (9, 10, 11, 12, 39, 40, 41) the median is 12
    IterationBreakdown b = IterationBreakdown.of(List.of(
        stretch("direct", 3, 3 * 2 * 4e6, new double[] {40, 41, 39}),
        stretch("direct", 4, 4 * 2 * 1e6, new double[] {10, 11, 9, 12})));
    assertEquals(7, b.iterations());
    assertEquals(12.0, b.msMedian());
    assertEquals(1.0, b.broadcastMs(), 1e-12);
    // compute per task: 3·2 tasks at 4 ms and 4·2 at 1 ms
    assertEquals((24.0 + 8.0) / 14.0, b.computeMsPerTask(), 1e-12);
    assertEquals(1.0, b.deserializeMsPerTask(), 1e-12);
    assertEquals(100.0, b.gradientBytesIn(), 1e-12);
    assertEquals(5.0, b.cpuMs(), 1e-12);
  }

  @Test
  void stretchesOfDifferentBreakdownsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IterationBreakdown.of(List.of(
        stretch("direct", 3, 0, new double[] {1}), stretch("sliced", 3, 0, new double[] {1}))));
    assertTrue(e.getMessage().contains("sliced"), e.getMessage());
  }

  @Test
  void roundsMustLeaveEveryStretchTwoIterations() {
    assertEquals(4, BenchOptions.parse(new String[] {}).clusterRounds());
    assertEquals(3, BenchOptions.parse(new String[] {"--cluster-rounds", "3"}).clusterRounds());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster-iterations", "10", "--cluster-rounds", "6"}));
    assertTrue(e.getMessage().contains("--cluster-rounds"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--cluster-rounds", "0"}));
  }
}
