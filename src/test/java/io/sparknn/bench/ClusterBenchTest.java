package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
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
    for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(i.getInetAddresses())) {
        assertTrue(ClusterBench.onThisMachine(a.getHostAddress()), a + " on " + i.getName());
      }
    }
    // TEST-NET-1 (RFC 5737): an address no machine here has
    assertFalse(ClusterBench.onThisMachine("192.0.2.7"));
  }

  @Test
  void aRunningClusterIsNamedByItsMastersUrlAndNeedsTheSizesToTake() {
    BenchOptions o = BenchOptions.parse(new String[] {"--cluster", "2x1,4x1", "--cluster-master", "spark://h:7077"});
    assertEquals("spark://h:7077", o.clusterMaster());
    assertEquals(List.of("2x1", "4x1"), o.clusters());
    for (String url : new String[] {"spark://h1:7077,h2:7077", "spark://[fd00::7]:7077", "spark://10.0.0.7:7077"}) {
      assertEquals(url, BenchOptions.parse(new String[] {"--cluster", "2x1", "--cluster-master", url}).clusterMaster());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster", "2x1", "--cluster-master", "h:7077"}));
    assertTrue(e.getMessage().contains("--cluster-master: expected a standalone master's URL such as "
        + "spark://HOST:7077"), e.getMessage());
    assertTrue(e.getMessage().endsWith("got 'h:7077'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster-master", "spark://h:7077"}));
    assertTrue(e.getMessage().contains("--cluster-master needs --cluster"), e.getMessage());
  }
}
