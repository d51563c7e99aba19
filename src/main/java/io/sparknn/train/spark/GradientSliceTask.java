package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.PartitionSums;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The map side of the sliced aggregation: partition {@code p}'s gradient and loss sums, as {@link GradientTask}
 * computes them, cut into {@code slices} packed slices, one per reducer.
 */
final class GradientSliceTask implements ReplicaTask<SliceRecord[]> {
  private final GradientTask gradient;
  private final int slices;

  GradientSliceTask(GradientTask gradient, int slices) {
    this.gradient = gradient;
    this.slices = slices;
  }

  @Override
  public SliceRecord[] run(Replica replica, Dataset part, int p, int attempt) {
    PartitionSums sums = gradient.sums(replica, part, p, attempt);
    double[] g = sums.gradientSum();
    SliceRecord[] out = new SliceRecord[slices];
    for (int s = 0; s < slices; s++) {
      int from = SliceRecord.start(s, slices, g.length);
      int to = SliceRecord.start(s + 1, slices, g.length);
      byte[] packed = new byte[(to - from) * Double.BYTES];
      ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(g, from, to - from);
      out[s] = s == 0 ? new SliceRecord(p, packed, sums.lossSum(), sums.rows(), sums.stateSum().clone())
          : new SliceRecord(p, packed, 0, 0, new double[0]);
    }
    return out;
  }
}
