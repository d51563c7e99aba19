package io.sparknn.train.spark;

import io.sparknn.train.GradientSum;
import java.nio.ByteBuffer;

/**
 * What a {@link ChannelSession}'s task returns for one iteration: its partition's gradient sum (the bytes from
 * {@code packedGradient}'s position to its limit, as it crossed the network, dense or with its {@code +0.0}
 * entries left out, or the task's own array when driver and task share a JVM), loss and row counts,
 * running statistics times rows, and the task's time loading the weights and computing. The buffers and arrays
 * belong to the link or the task and stay valid only until the next round.
 */
record ChannelReply(ByteBuffer packedGradient, boolean zerosElided, double[] gradient,
    double lossSum, int rows, double[] stateSum, long loadNs, long computeNs) {

  /** A reply carrying the task's own gradient array, nothing packed. */
  static ChannelReply unpacked(double[] gradient, double lossSum, int rows, double[] stateSum, long loadNs,
      long computeNs) {
    return new ChannelReply(null, false, gradient, lossSum, rows, stateSum, loadNs, computeNs);
  }

  /** Adds these sums to {@code sum}: the same additions, packed or not, as a task result of the jobs path. */
  void addTo(GradientSum sum) {
    if (packedGradient == null) {
      sum.add(gradient, lossSum, rows, stateSum);
    } else if (zerosElided) {
      sum.addZerosElided(packedGradient, packedGradient.remaining(), lossSum, rows, stateSum);
    } else {
      sum.add(packedGradient, lossSum, rows, stateSum);
    }
  }

  /** The packed gradient's bytes (0 when the task handed over its own array). */
  long gradientBytes() {
    return packedGradient == null ? 0 : packedGradient.remaining();
  }
}
