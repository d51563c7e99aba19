package io.sparknn.train.spark;

import io.sparknn.train.GradientSum;
import java.nio.ByteBuffer;

/**
 * What a {@link ChannelSession}'s task returns for one iteration: its partition's gradient sum (the bytes from
 * {@code packedGradient}'s position to its limit, as it crossed the network, in one of the {@link Form}s, or the
 * task's own array when driver and task share a JVM), loss and row counts, running statistics times rows, and the
 * task's time loading the weights and computing. The buffers and arrays belong to the link or the task and stay
 * valid only until the next round.
 */
record ChannelReply(ByteBuffer packedGradient, Form form, double[] gradient,
    double lossSum, int rows, double[] stateSum, long loadNs, long computeNs) {

  /** How a packed gradient crossed the network. */
  enum Form {
    /** The partition's whole sum, every value, in the session's wire format. */
    DENSE,
    /** The partition's whole sum in float64 without its {@code +0.0} entries. */
    ZEROS_ELIDED,
    /** One slice of the sum over every partition, float64, added up among the tasks ({@link PeerMesh}). */
    SLICE,
    /** As {@link #SLICE}, without the slice's {@code +0.0} entries. */
    SLICE_ZEROS_ELIDED
  }

  /** A reply carrying the task's own gradient array, nothing packed. */
  static ChannelReply unpacked(double[] gradient, double lossSum, int rows, double[] stateSum, long loadNs,
      long computeNs) {
    return new ChannelReply(null, Form.DENSE, gradient, lossSum, rows, stateSum, loadNs, computeNs);
  }

  /**
   * Adds these sums to {@code sum}: the same additions, packed or not, as a task result of the jobs path; a
   * {@link Form#SLICE} goes in once at gradient values {@code [sliceFrom, sliceFrom + sliceCount)}, as a reducer's
   * slice of the sliced aggregation does.
   */
  void addTo(GradientSum sum, int sliceFrom, int sliceCount) {
    if (packedGradient == null) {
      sum.add(gradient, lossSum, rows, stateSum);
    } else if (form == Form.SLICE) {
      sum.addPeerSlice(sliceFrom, packedGradient, lossSum, rows, stateSum);
    } else if (form == Form.SLICE_ZEROS_ELIDED) {
      sum.addPeerSliceZerosElided(sliceFrom, sliceCount, packedGradient, packedGradient.remaining(), lossSum, rows,
          stateSum);
    } else if (form == Form.ZEROS_ELIDED) {
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
