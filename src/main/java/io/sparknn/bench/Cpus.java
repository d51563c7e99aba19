package io.sparknn.bench;

import io.sparknn.train.spark.CommunicationModel;

/**
 * The CPUs a cluster's measurements ran on, in the two roles the communication model gives them: the driver's,
 * over which its channel's link threads copy at once, and those the driver and the one-core executors shared, on
 * which the executors take turns ({@link Integer#MAX_VALUE} when every executor had a host of its own). On a
 * loopback cluster the two are the same machine's.
 *
 * @param driver the driver machine's CPUs
 * @param shared the CPUs the driver and every executor shared, or {@link Integer#MAX_VALUE} for none
 */
record Cpus(int driver, int shared) {
  Cpus {
    if (driver < 1 || shared < 1) {
      throw new IllegalArgumentException("CPUs must be positive, got driver " + driver + ", shared " + shared);
    }
  }

  /** A machine of {@code n} CPUs that the driver and every executor share. */
  static Cpus loopback(int n) {
    return new Cpus(n, n);
  }

  /** The driver on {@code driver} CPUs, every executor on a host of its own. */
  static Cpus ownHosts(int driver) {
    return new Cpus(driver, Integer.MAX_VALUE);
  }

  boolean ownHosts() {
    return shared == Integer.MAX_VALUE;
  }

  /** How many times longer {@code p} one-core executors' own work takes on the shared CPUs. */
  double turns(int p) {
    return CommunicationModel.turns(p, shared);
  }
}
