package io.sparknn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.data.GaussianBlobs;
import io.sparknn.nn.BatchNormalization;
import io.sparknn.nn.Linear;
import io.sparknn.nn.ReLU;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.SoftMax;
import io.sparknn.nn.criterion.ClassNLLCriterion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sums kernel: a partition's sums added as the packed result a task returns and as computed in the same JVM
 * give the same means, to the bit, as the formula the trainers share (sums in partition order into zeroed
 * arrays, then times {@code 1.0 / rows}).
 */
class GradientSumTest {
  private static final Dataset BLOBS = GaussianBlobs.generate(50, 7);
  // The third partition is so small that it has no rows in some steps.
  private static final Dataset[] PARTS = {BLOBS.slice(0, 60), BLOBS.slice(60, 97), BLOBS.slice(97, 100)};
  private static final TrainingOptions OPTIONS = TrainingOptions.of(16, 1, 0.1, 11);
  private static final BatchSchedule SCHEDULE = new BatchSchedule(11, new int[] {60, 37, 3}, 16);

  private static Sequential model() {
    Sequential net = new Sequential().add(new Linear(2, 4)).add(new BatchNormalization(4)).add(new ReLU())
        .add(new Linear(4, 2)).add(new SoftMax());
    net.reset(3);
    return net;
  }

  private record Means(double[] gradient, double[] state, double loss) {}

  /** One step's means three ways: in-JVM sums, packed results, and the formula written out. */
  private static Means[] step(int step) {
    Sequential net = model();
    PartitionSums sums = new PartitionSums(net, new Objective(new ClassNLLCriterion(), Target.CLASSES));
    double[] start = net.state().clone();
    int n = net.parameterCount();
    GradientSum inJvm = new GradientSum().reset(n, start.length);
    List<PartitionResult> results = new ArrayList<>();
    double[] gradient = new double[n];
    double[] state = new double[start.length];
    double loss = 0;
    long rows = 0;
    for (int p = 0; p < PARTS.length; p++) {
      System.arraycopy(start, 0, net.state(), 0, start.length);
      sums.compute(PARTS[p], SCHEDULE.permutation(0, p), SCHEDULE, p, step, SCHEDULE.iteration(0, step), OPTIONS);
      inJvm.add(sums);
      results.add(sums.toResult());
      for (int i = 0; i < n; i++) {
        gradient[i] += sums.gradientSum()[i];
      }
      for (int i = 0; i < state.length; i++) {
        state[i] += sums.stateSum()[i];
      }
      loss += sums.lossSum();
      rows += sums.rows();
    }
    double inv = 1.0 / rows;
    for (int i = 0; i < n; i++) {
      gradient[i] *= inv;
    }
    for (int i = 0; i < state.length; i++) {
      state[i] *= inv;
    }
    Means formula = new Means(gradient, state, loss * inv);
    Means local = finish(inJvm, n, state.length);
    GradientSum packed = new GradientSum().reset(n, state.length);
    results.forEach(packed::add);
    return new Means[] {formula, local, finish(packed, n, state.length)};
  }

  private static Means finish(GradientSum sum, int n, int s) {
    double[] g = new double[n];
    double[] st = new double[s];
    double loss = sum.finish(g, st);
    return new Means(g, st, loss);
  }

  @Test
  void packedAndInJvmSumsGiveTheFormulasMeansToTheBit() {
    assertEquals(0, SCHEDULE.end(2, 0) - SCHEDULE.start(2, 0), "step 0 has an empty share");
    for (int step : new int[] {0, 3}) {
      Means[] m = step(step);
      for (int k = 1; k < m.length; k++) {
        assertArrayEquals(m[0].gradient(), m[k].gradient(), "gradient, step " + step);
        assertArrayEquals(m[0].state(), m[k].state(), "running statistics, step " + step);
        assertEquals(Double.doubleToRawLongBits(m[0].loss()), Double.doubleToRawLongBits(m[k].loss()));
      }
    }
  }

  @Test
  void anEmptyShareGivesZeroSumsAndLeavesTheRunningStatisticsAlone() {
    Sequential net = model();
    net.state()[0] = 0.25;
    double[] before = net.state().clone();
    PartitionSums sums = new PartitionSums(net, new Objective(new ClassNLLCriterion(), Target.CLASSES))
        .compute(PARTS[2], SCHEDULE.permutation(0, 2), SCHEDULE, 2, 0, 0, OPTIONS);
    assertEquals(0, sums.rows());
    assertEquals(0.0, sums.lossSum());
    assertArrayEquals(new double[net.parameterCount()], sums.gradientSum());
    assertArrayEquals(new double[before.length], sums.stateSum());
    assertArrayEquals(before, net.state());
  }

  @Test
  void resetStartsAFreshStepOnTheSameBuffers() {
    Sequential net = model();
    PartitionSums sums = new PartitionSums(net, new Objective(new ClassNLLCriterion(), Target.CLASSES))
        .compute(PARTS[0], SCHEDULE.permutation(0, 0), SCHEDULE, 0, 1, 1, OPTIONS);
    PartitionResult r = sums.toResult();
    GradientSum reused = new GradientSum().reset(net.parameterCount(), net.stateCount());
    reused.add(r);
    reused.add(r);
    reused.reset(net.parameterCount(), net.stateCount()).add(r);
    GradientSum fresh = new GradientSum().reset(net.parameterCount(), net.stateCount());
    fresh.add(r);
    Means a = finish(reused, net.parameterCount(), net.stateCount());
    Means b = finish(fresh, net.parameterCount(), net.stateCount());
    assertArrayEquals(b.gradient(), a.gradient());
    assertArrayEquals(b.state(), a.state());
    assertEquals(b.loss(), a.loss());
    assertEquals(r.count(), reused.rows());
    assertTrue(r.count() > 0);
  }

  @Test
  void alongTheShardsTreeEveryFormOfAReplyAddsTheSameBitsAndSlicesDoNotMixWithNodes() {
    double[][] nodes = {{1e16, -0.0, 3}, {1, -0.0, 0.0}, {-1e16, -0.0, 5}, {1, -0.0, 0.0}};
    PairwiseSum tree = new PairwiseSum().reset(3, 1);
    for (int j = 0; j < nodes.length; j++) {
      tree.push(nodes[j], j, 10, new double[] {j * 0.5}, 1);
    }
    double[] expected = tree.gradient().clone();
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(expected[1]), "-0.0 kept");
    GradientSum sum = new GradientSum().pairwise(new int[] {1, 1, 1, 1});
    sum.reset(3, 1);
    sum.add(nodes[0], 0, 10, new double[] {0});
    sum.add(io.sparknn.tensor.PackedDoubles.pack(nodes[1]), 1, 10, new double[] {0.5});
    byte[] elided = new byte[io.sparknn.tensor.ZeroElidedDoubles.maxBytes(3)];
    int length = io.sparknn.tensor.ZeroElidedDoubles.packInto(elided, nodes[2]);
    sum.addZerosElided(java.nio.ByteBuffer.wrap(elided), length, 2, 10, new double[] {1.0});
    sum.add(nodes[3], 3, 10, new double[] {1.5});
    double[] mean = new double[3];
    double[] state = new double[1];
    double loss = sum.finish(mean, state);
    for (int i = 0; i < 3; i++) {
      assertEquals(Double.doubleToRawLongBits(expected[i] * (1.0 / 40)), Double.doubleToRawLongBits(mean[i]));
    }
    assertEquals(tree.lossSum() * (1.0 / 40), loss);
    assertEquals(tree.state()[0] * (1.0 / 40), state[0]);
    // Pairs first, then the pairs: not the left fold, which ends elsewhere on these values.
    assertEquals((1e16 + 1) + (-1e16 + 1), expected[0]);
    assertTrue(((1e16 + 1) + -1e16) + 1 != expected[0]);
    sum.reset(3, 1).add(nodes[0], 0, 10, new double[] {0});
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> sum.addSlice(0, new byte[8], 0, 0, new double[0]));
    assertEquals("a step's sums come either as partitions' nodes or as slices, not both", e.getMessage());
  }

  @Test
  void aPeerSliceWithoutItsZerosAddsTheBitsOfTheDenseSliceInPartitionOrderAndAlongTheTree() {
    double[] summed = {0.0, -0.0, 1.25, 0.0, -7, 0.0, 3};
    int from = 2;
    int count = 4;
    double[] slice = java.util.Arrays.copyOfRange(summed, from, from + count);
    byte[] elided = new byte[io.sparknn.tensor.ZeroElidedDoubles.maxBytes(count)];
    int length = io.sparknn.tensor.ZeroElidedDoubles.packInto(elided, slice);
    assertTrue(length < count * Double.BYTES, "the slice's zeros were left out");
    for (int[] spans : new int[][] {null, {1, 1}}) {
      GradientSum dense = new GradientSum().pairwise(spans).reset(summed.length, 1);
      GradientSum packed = new GradientSum().pairwise(spans).reset(summed.length, 1);
      dense.addPeerSlice(0, java.nio.ByteBuffer.wrap(io.sparknn.tensor.PackedDoubles.pack(
          java.util.Arrays.copyOfRange(summed, 0, from))), 1, 5, new double[] {0.5});
      packed.addPeerSlice(0, java.nio.ByteBuffer.wrap(io.sparknn.tensor.PackedDoubles.pack(
          java.util.Arrays.copyOfRange(summed, 0, from))), 1, 5, new double[] {0.5});
      dense.addPeerSlice(from, java.nio.ByteBuffer.wrap(io.sparknn.tensor.PackedDoubles.pack(slice)), 2, 7,
          new double[] {1.5});
      packed.addPeerSliceZerosElided(from, count, java.nio.ByteBuffer.wrap(elided), length, 2, 7,
          new double[] {1.5});
      double[] a = new double[summed.length];
      double[] b = new double[summed.length];
      double[] sa = new double[1];
      double[] sb = new double[1];
      assertEquals(dense.finish(a, sa), packed.finish(b, sb));
      for (int i = 0; i < a.length; i++) {
        assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), "value " + i);
      }
      assertEquals(sa[0], sb[0]);
    }
  }
}
