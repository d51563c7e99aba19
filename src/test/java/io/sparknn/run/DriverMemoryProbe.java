package io.sparknn.run;

import io.sparknn.config.DataConfig;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.testing.SparkTestBase;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite (run it by name: {@code mvn -o -q test -Dtest=DriverMemoryProbe
 * -Dsparknn.parquet=DIR}, DIR written by {@code jobs/convert.sh DIR}): what the driver holds once the full MNIST
 * is ready to train on, today's driver-side IDX path (read on the driver, split, one broadcast per block)
 * against the executor-side IDX and Parquet paths. In local mode the executors are threads of the driver's
 * JVM and the heap as a whole cannot tell them apart (a live-heap difference minus Spark's cached bytes came out
 * negative for the executor-side paths, so it is not printed); the driver's own thread can: the bytes it
 * allocated while loading ({@code com.sun.management.ThreadMXBean}) bound what it held, in the second of two
 * loads (the first pays class loading and Spark SQL's code generation).
 */
class DriverMemoryProbe extends SparkTestBase {
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  private long cached() {
    long bytes = 0;
    for (RDDInfo r : jsc().sc().getRDDStorageInfo()) {
      bytes += r.memSize();
    }
    return bytes;
  }

  /** Loads twice; prints the second load's figures. */
  private void measure(String name, Supplier<AutoCloseable> load) throws Exception {
    for (int round = 0; round < 2; round++) {
      long before = allocated();
      try (AutoCloseable data = load.get()) {
        long thread = allocated() - before;
        if (round == 1) {
          System.out.printf("%s: driver thread allocated %.1f MB while loading; cached blocks %.1f MB%n", name,
              thread / 1e6, cached() / 1e6);
        }
      }
      // Unpersisting does not wait: let the blocks go before the next round measures its baseline.
      for (int i = 0; i < 300 && cached() > 0; i++) {
        Thread.sleep(100);
      }
    }
  }

  @Test
  void report() throws Exception {
    DataConfig idx = new DataConfig(null, 5000, false, 2, 0, null);
    measure("driver-side IDX (70,000 rows on the driver)", () -> {
      PreparedData old = PreparedData.load(idx, 42);
      PartitionedDataset a = PartitionedDataset.distribute(jsc(), old.train(), 2, "train");
      PartitionedDataset b = PartitionedDataset.distribute(jsc(), old.validation(), 2, "validation");
      PartitionedDataset c = PartitionedDataset.distribute(jsc(), old.test(), 2, "test");
      return () -> {
        a.close();
        b.close();
        c.close();
      };
    });
    measure("executor-side IDX (0 rows on the driver)", () -> DistributedData.load(jsc(), idx, 42, "probe"));
    String parquet = System.getProperty("sparknn.parquet");
    if (parquet != null) {
      DataConfig table = new DataConfig("parquet", null, parquet + "/train", parquet + "/test", null, null, null,
          null, 5000, false, 2, 0, null);
      measure("executor-side Parquet (0 rows on the driver)", () -> DistributedData.load(jsc(), table, 42, "p"));
    }
  }
}
