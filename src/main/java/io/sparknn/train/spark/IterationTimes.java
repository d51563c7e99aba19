package io.sparknn.train.spark;

/**
 * The driver's side of {@link SparkTrainer}'s iterations, accumulated: packing and creating the weight broadcast,
 * the job (from submission until every result is in), adding the results, the optimizer's update, removing the
 * broadcast, and the bytes of gradient the driver received (and of weights it sent itself). Read by the
 * performance harness; not thread-safe.
 */
public final class IterationTimes {
  long iterations;
  long broadcastNs;
  long jobNs;
  long sumNs;
  long updateNs;
  long removeNs;
  long resultBytes;
  long weightBytes;

  public long iterations() {
    return iterations;
  }

  public long broadcastNs() {
    return broadcastNs;
  }

  public long jobNs() {
    return jobNs;
  }

  public long sumNs() {
    return sumNs;
  }

  public long updateNs() {
    return updateNs;
  }

  public long removeNs() {
    return removeNs;
  }

  /**
   * Packed gradient bytes in the results the driver received (direct: P·|w|·8; sliced: |w|·8 per iteration; the
   * channel: P·|w|·8 over TCP, none in the same JVM).
   */
  public long resultBytes() {
    return resultBytes;
  }

  /** Packed weight bytes the driver itself sent to tasks over TCP (the channel; a broadcast's are Spark's). */
  public long weightBytes() {
    return weightBytes;
  }
}
