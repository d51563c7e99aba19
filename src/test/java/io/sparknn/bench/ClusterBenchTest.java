package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * How the harness tells a cluster whose executors share the driver's machine from one whose executors have hosts
 * of their own, and the options that point it at a running cluster.
 */
class ClusterBenchTest {
  @Test
  void anExecutorOnOneOfThisMachinesAddressesSharesItsCpus() throws Exception {
    assertTrue(ClusterBench.onThisMachine("127.0.0.1"));
    assertTrue(ClusterBench.onThisMachine("localhost"));
    assertTrue(ClusterBench.onThisMachine(InetAddress.getLocalHost().getHostAddress()));
    // TEST-NET-1 (RFC 5737): an address no machine here has
    assertFalse(ClusterBench.onThisMachine("192.0.2.7"));
    assertFalse(ClusterBench.onThisMachine("no-such-host.invalid"));
  }

  @Test
  void aRunningClusterIsNamedByItsMastersUrlAndNeedsTheSizesToTake() {
    BenchOptions o = BenchOptions.parse(new String[] {"--cluster", "2x1,4x1", "--cluster-master", "spark://h:7077"});
    assertTrue(o.clusterMaster().equals("spark://h:7077") && o.clusters().size() == 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster", "2x1", "--cluster-master", "h:7077"}));
    assertTrue(e.getMessage().contains("--cluster-master: expected a standalone master's URL such as "
        + "spark://HOST:7077, got 'h:7077'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster-master", "spark://h:7077"}));
    assertTrue(e.getMessage().contains("--cluster-master needs --cluster"), e.getMessage());
  }
}
