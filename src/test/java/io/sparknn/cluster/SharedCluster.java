package io.sparknn.cluster;

/**
 * One standalone cluster (2 workers, 1 core and 1g each) for the test classes that only submit apps to it and
 * compare what the apps leave: started by the first class that asks, stopped when the test JVM exits (the
 * cluster's shutdown hook), since each start costs three JVM start-ups. Classes that stop workers or check
 * what a close leaves start a cluster of their own.
 */
final class SharedCluster {
  private static StandaloneCluster cluster;

  private SharedCluster() {}

  /** The shared cluster, started (or started again, if a test closed it) now if needed. */
  static synchronized StandaloneCluster twoWorkers() {
    if (cluster == null || cluster.isClosed()) {
      cluster = StandaloneCluster.start(2, 1, "1g");
    }
    return cluster;
  }
}
