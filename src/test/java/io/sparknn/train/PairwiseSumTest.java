package io.sparknn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fixed tree: the same bits however the leaves are grouped into blocks first, and not a left fold. */
class PairwiseSumTest {
  private static final int N = 257;
  private static final int LEAVES = 16;

  /** Leaves whose sums depend on the order of addition: magnitudes from 1e-3 to 1e13, both signs. */
  private static double[][] leaves() {
    SplittableRandom r = new SplittableRandom(11);
    double[][] g = new double[LEAVES][N];
    for (double[] leaf : g) {
      for (int i = 0; i < N; i++) {
        leaf[i] = (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-3, 13));
      }
    }
    return g;
  }

  /** Sums the leaves as {@code groups} tasks would: each its block on its own, then the blocks together. */
  private static double[] grouped(double[][] leaves, int groups) {
    PairwiseSum driver = new PairwiseSum().reset(N, 1);
    PairwiseSum task = new PairwiseSum();
    int per = LEAVES / groups;
    for (int g = 0; g < groups; g++) {
      task.reset(N, 1);
      for (int k = g * per; k < (g + 1) * per; k++) {
        task.push(leaves[k], k * 0.1, k, new double[] {k * 1.5}, 1);
      }
      driver.push(task.gradient(), task.lossSum(), task.rows(), task.state(), 1);
    }
    assertEquals(120, driver.rows());
    return append(driver.gradient(), driver.lossSum(), driver.state()[0]);
  }

  private static double[] append(double[] g, double... more) {
    double[] all = Arrays.copyOf(g, g.length + more.length);
    System.arraycopy(more, 0, all, g.length, more.length);
    return all;
  }

  @Test
  void everyPowerOfTwoGroupingGivesTheSameBits() {
    double[][] leaves = leaves();
    double[] one = grouped(leaves, 1);
    for (int groups : new int[] {2, 4, 8, 16}) {
      assertArrayEquals(one, grouped(leaves, groups), groups + " groups");
    }
    // Blocks of different spans in order, as long as each starts at a multiple of its span: 4 + 2 + 1 + 1 + 8.
    PairwiseSum mixed = new PairwiseSum().reset(N, 1);
    int k = 0;
    for (int span : new int[] {4, 2, 1, 1, 8}) {
      PairwiseSum block = new PairwiseSum().reset(N, 1);
      for (int end = k + span; k < end; k++) {
        block.push(leaves[k], k * 0.1, k, new double[] {k * 1.5}, 1);
      }
      mixed.push(block.gradient(), block.lossSum(), block.rows(), block.state(), span);
    }
    assertArrayEquals(one, append(mixed.gradient(), mixed.lossSum(), mixed.state()[0]));
  }

  @Test
  void itIsATreeNotALeftFold() {
    double[][] leaves = leaves();
    double[] fold = new double[N];
    for (double[] leaf : leaves) {
      for (int i = 0; i < N; i++) {
        fold[i] += leaf[i];
      }
    }
    double[] tree = Arrays.copyOf(grouped(leaves, 1), N);
    assertNotEquals(Arrays.toString(fold), Arrays.toString(tree), "these leaves must tell the orders apart");
    // The root is ((l0 + l1) + (l2 + l3)) + ..., checked at one entry by hand.
    double[] q = new double[4];
    for (int j = 0; j < 4; j++) {
      q[j] = (leaves[4 * j][0] + leaves[4 * j + 1][0]) + (leaves[4 * j + 2][0] + leaves[4 * j + 3][0]);
    }
    assertEquals((q[0] + q[1]) + (q[2] + q[3]), tree[0]);
  }

  @Test
  void aRootNeedsAPowerOfTwoOfShardsAndBlocksMustBeAligned() {
    PairwiseSum s = new PairwiseSum().reset(2, 0);
    assertThrows(IllegalStateException.class, s::gradient);
    s.push(new double[] {1, 2}, 0, 1, new double[0], 1);
    s.push(new double[] {1, 2}, 0, 1, new double[0], 1);
    s.push(new double[] {1, 2}, 0, 1, new double[0], 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, s::gradient);
    assertTrue(e.getMessage().contains("the 3 shards added so far are not a power of two"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> s.push(new double[] {1, 2}, 0, 1, new double[0], 2));
    assertTrue(e.getMessage().contains("a block of 2 shards after one of 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.push(new double[] {1, 2}, 0, 1, new double[0], 3));
    s.push(new double[] {1, 2}, 0, 1, new double[0], 1);
    assertArrayEquals(new double[] {4, 8}, s.gradient());
    assertEquals(4, s.rows());
  }
}
