package io.sparknn.train;

import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.PackedFloats;
import io.sparknn.tensor.ZeroElidedDoubles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * Adds the partitions' sums of one data-parallel step and turns them into means: the one place that fixes the
 * arithmetic both trainers must share to the bit. Each step: {@link #reset}, {@link #add} every partition in
 * partition order (gradient, loss, rows and running statistics × rows, each into a zeroed buffer), then
 * {@link #finish}, which multiplies every sum by {@code 1.0 / rows} (one division, never one per element).
 * {@code SparkTrainer} adds the packed results its tasks return; {@link LocalTrainer}'s replay adds
 * {@link PartitionSums} computed in its own JVM. Packing is bit-exact, so both add the same doubles in the same
 * order and end with the same means. Over fixed row shards ({@link #pairwise}) every partition's sums are one
 * node of the shards' tree instead, and {@link PairwiseSum} adds them along it. The buffers are reused from step
 * to step; not thread-safe.
 */
public final class GradientSum {
  private static final double[] NO_VALUES = new double[0];
  private final PairwiseSum tree = new PairwiseSum();
  // Along the tree: the loss, rows and running statistics of replies that carry a slice of the summed gradient.
  private final PairwiseSum sliceTotals = new PairwiseSum();
  private int[] spans;
  private int nodes;
  private Source source = Source.NONE;
  private double[] gradient = new double[0];
  private double[] state = new double[0];
  private double loss;
  private long rows;

  /**
   * Adds each partition's sums as a node of the fixed row shards' tree, partition {@code p}'s covering
   * {@code spans[p]} shards ({@link io.sparknn.data.ShardPlan#spans}), or in partition order ({@code null}, the
   * default), from the next {@link #reset} on. Partitions are still added in partition order. The slices of the
   * sliced aggregations were added along the tree where they were summed ({@code SliceSumRDD}, {@code PeerMesh}):
   * here they are set, not added.
   */
  public GradientSum pairwise(int[] spans) {
    this.spans = spans == null ? null : spans.clone();
    return this;
  }

  /** Starts a step of a model with {@code parameters} parameters and {@code stateValues} running statistics. */
  public GradientSum reset(int parameters, int stateValues) {
    tree.reset(parameters, stateValues);
    sliceTotals.reset(0, stateValues);
    source = Source.NONE;
    nodes = 0;
    gradient = zeroed(gradient, parameters);
    state = zeroed(state, stateValues);
    loss = 0;
    rows = 0;
    return this;
  }

  /**
   * Adds one partition's result as a task returns it (the gradient sum packed as float64, or as float32 when
   * its byte count says so: half the bytes of float64 for the values expected).
   */
  public void add(PartitionResult r) {
    add(r.gradSum(), r.lossSum(), r.count(), r.stateSum());
  }

  /** As {@link #add(PartitionResult)}, from its parts. */
  public void add(byte[] packedGradient, double lossSum, long rowCount, double[] stateSum) {
    add(ByteBuffer.wrap(packedGradient), lossSum, rowCount, stateSum);
  }

  /** As {@link #add(byte[], double, long, double[])}, from the packed gradient's remaining bytes. */
  public void add(ByteBuffer packedGradient, double lossSum, long rowCount, double[] stateSum) {
    if (spans != null) {
      if (packedGradient.remaining() != gradient.length * Double.BYTES) {
        throw new IllegalArgumentException("sums over fixed row shards are added as float64, "
            + gradient.length * Double.BYTES + " bytes; got " + packedGradient.remaining());
      }
      from(Source.NODES);
      PackedDoubles.unpack(packedGradient, 0, tree.next());
      tree.commit(lossSum, rowCount, stateSum, nextSpan());
      rows += rowCount;
      return;
    }
    if (gradient.length > 0 && packedGradient.remaining() == gradient.length * Float.BYTES) {
      PackedFloats.addTo(packedGradient, 0, gradient);
    } else {
      PackedDoubles.addTo(packedGradient, 0, gradient);
    }
    addState(stateSum);
    loss += lossSum;
    rows += rowCount;
  }

  /**
   * As {@link #add(byte[], double, long, double[])}, from a gradient packed by {@link ZeroElidedDoubles} in the
   * first {@code length} bytes of {@code packed}: the same bits, since only {@code +0.0} entries were left out.
   */
  public void addZerosElided(ByteBuffer packed, int length, double lossSum, long rowCount, double[] stateSum) {
    if (spans != null) {
      from(Source.NODES);
      ZeroElidedDoubles.unpack(packed, length, tree.next());
      tree.commit(lossSum, rowCount, stateSum, nextSpan());
      rows += rowCount;
      return;
    }
    ZeroElidedDoubles.addTo(packed, length, gradient);
    addState(stateSum);
    loss += lossSum;
    rows += rowCount;
  }

  /**
   * Adds a sum already taken elsewhere over every partition, in partition order and from zero, of the gradient
   * values {@code [from, from + count(packed))}, or of loss, rows and running statistics ({@code packed} empty):
   * what one reducer of the sliced aggregation returns. Each slice is added once, into zeros, so the buffers
   * end with exactly the bits the partition-by-partition {@link #add} would have left (a sum started from
   * {@code +0.0} is never {@code -0.0}, and {@code 0.0 + x == x} for every other {@code x}). Along the shards'
   * tree, the reducers added their slices along it, and the slice that carries loss, rows and running statistics
   * (the one with rows) carries their sums too: all are set as they are.
   */
  public void addSlice(int from, byte[] packed, double lossSum, long rowCount, double[] stateSum) {
    addSlice(from, ByteBuffer.wrap(packed), lossSum, rowCount, stateSum);
  }

  /** As {@link #addSlice(int, byte[], double, long, double[])}, from the float64 values {@code packed} has left. */
  public void addSlice(int from, ByteBuffer packed, double lossSum, long rowCount, double[] stateSum) {
    if (spans != null) {
      from(Source.SLICES);
      setSlice(from, packed);
      if (rowCount > 0) {
        System.arraycopy(stateSum, 0, state, 0, state.length);
        loss = lossSum;
        rows = rowCount;
      }
      return;
    }
    DoubleBuffer v = packed.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    int n = v.remaining();
    for (int i = 0; i < n; i++) {
      gradient[from + i] += v.get(i);
    }
    if (stateSum.length > 0) {
      addState(stateSum);
    }
    loss += lossSum;
    rows += rowCount;
  }

  /**
   * Adds what one task of the channel whose tasks add the sums among themselves replies: slice {@code from} of
   * the gradient summed over every partition, and its own partition's loss, rows and running statistics, which
   * are added here in partition order ({@link #addSlice} without the shards' tree; along it, the slice is set and
   * the partition's sums go up the tree).
   */
  public void addPeerSlice(int from, ByteBuffer packed, double lossSum, long rowCount, double[] stateSum) {
    if (spans == null) {
      addSlice(from, packed, lossSum, rowCount, stateSum);
      return;
    }
    from(Source.PEER_SLICES);
    setSlice(from, packed);
    sliceTotals.push(NO_VALUES, lossSum, rowCount, stateSum, nextSpan());
    rows += rowCount;
  }

  /**
   * As {@link #addPeerSlice}, the slice's {@code count} values packed by {@link ZeroElidedDoubles} in the first
   * {@code length} bytes of {@code packed}: the same bits, since only {@code +0.0} entries were left out and the
   * slice goes into zeros.
   */
  public void addPeerSliceZerosElided(int from, int count, ByteBuffer packed, int length, double lossSum,
      long rowCount, double[] stateSum) {
    if (spans == null) {
      ZeroElidedDoubles.addTo(packed, length, gradient, from, count);
      if (stateSum.length > 0) {
        addState(stateSum);
      }
      loss += lossSum;
      rows += rowCount;
      return;
    }
    from(Source.PEER_SLICES);
    ZeroElidedDoubles.unpack(packed, length, gradient, from, count);
    sliceTotals.push(NO_VALUES, lossSum, rowCount, stateSum, nextSpan());
    rows += rowCount;
  }

  /** The span of the next partition's node. */
  private int nextSpan() {
    if (nodes == spans.length) {
      throw new IllegalStateException("sums of more than the " + spans.length + " partitions the shards cover");
    }
    return spans[nodes++];
  }

  private void setSlice(int from, ByteBuffer packed) {
    DoubleBuffer v = packed.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    v.get(gradient, from, v.remaining());
  }

  private void from(Source s) {
    if (source != Source.NONE && source != s) {
      throw new IllegalStateException("a step's sums come either as partitions' nodes or as slices, not both");
    }
    source = s;
  }

  /** Adds one partition's sums computed in this JVM: the same additions as for its packed result. */
  public void add(PartitionSums s) {
    add(s.gradientSum(), s.lossSum(), s.rows(), s.stateSum());
  }

  /** As {@link #add(PartitionSums)}, from its parts: the gradient sum unpacked. */
  public void add(double[] gradientSum, double lossSum, long rowCount, double[] stateSum) {
    if (spans != null) {
      from(Source.NODES);
      tree.push(gradientSum, lossSum, rowCount, stateSum, nextSpan());
      rows += rowCount;
      return;
    }
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] += gradientSum[i];
    }
    addState(stateSum);
    loss += lossSum;
    rows += rowCount;
  }

  private void addState(double[] s) {
    for (int i = 0; i < state.length; i++) {
      state[i] += s[i];
    }
  }

  /**
   * Writes the mean gradient to {@code meanGradient} and the mean running statistics to {@code meanState} (either
   * may be an array a partition's sums were read from: all adds are done) and returns the mean loss.
   */
  public double finish(double[] meanGradient, double[] meanState) {
    double[] sum = gradient;
    if (source == Source.NODES) {
      sum = tree.gradient();
      System.arraycopy(tree.state(), 0, state, 0, state.length);
      loss = tree.lossSum();
    } else if (source == Source.PEER_SLICES) {
      System.arraycopy(sliceTotals.state(), 0, state, 0, state.length);
      loss = sliceTotals.lossSum();
    }
    double inv = 1.0 / rows;
    for (int i = 0; i < sum.length; i++) {
      meanGradient[i] = sum[i] * inv;
    }
    for (int i = 0; i < state.length; i++) {
      meanState[i] = state[i] * inv;
    }
    return loss * inv;
  }

  /** Rows added since {@link #reset}. */
  public long rows() {
    return rows;
  }

  private static double[] zeroed(double[] buffer, int length) {
    if (buffer.length != length) {
      return new double[length];
    }
    Arrays.fill(buffer, 0.0);
    return buffer;
  }

  /** Where a step's sums along the shards' tree came from. */
  private enum Source { NONE, NODES, SLICES, PEER_SLICES }
}
