package io.sparknn.train.spark;

/**
 * The bytes one synchronous iteration moves, as {@link CommunicationModel} counts them, for {@code P} tasks and a
 * model of {@code w} float64 weights ({@code b = 8w} bytes), every value dense. On the jobs path every executor
 * fetches the whole broadcast ({@code P·b}, from the driver or from an executor that already has the piece); the
 * direct aggregation brings every task's sum to the driver ({@code P·b}), the sliced one writes every task's sum
 * cut into {@code P} slices to the shuffle ({@code P·b}, each reducer reading {@code b}) and brings the driver the
 * summed slices ({@code b}). The channel writes each task the weights and reads each task's sum ({@code P·b} each
 * way), or with the sums added among the tasks one slice each way per task ({@code b} each way, the rest moving
 * between the tasks). A sum whose {@code +0.0} entries are left out on the wire, or a compressed shuffle block, is
 * smaller; these are its upper bound.
 *
 * @param intoDriver gradient bytes the driver receives
 * @param weights weight bytes distributed: the broadcast pieces the executors fetch, or the channel's writes
 * @param shuffle bytes written to Spark's shuffle
 */
public record IterationTraffic(double intoDriver, double weights, double shuffle) {

  /** The bytes of one iteration over {@code exchange} and {@code path}. */
  public static IterationTraffic of(int p, int weights, Exchange exchange, Aggregation path) {
    double b = 8.0 * weights;
    if (exchange == Exchange.CHANNEL) {
      return path == Aggregation.SLICED ? new IterationTraffic(b, b, 0) : new IterationTraffic(p * b, p * b, 0);
    }
    return new IterationTraffic(path == Aggregation.SLICED ? b : p * b, p * b,
        path == Aggregation.SLICED ? p * b : 0);
  }
}
