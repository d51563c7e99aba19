package io.sparknn.run;

import io.sparknn.config.DataConfig;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.testing.SparkTestBase;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite (run it by name: {@code mvn -o -q test -Dtest=DriverMemoryProbe
 * -Dsparknn.parquet=DIR}, DIR written by {@code jobs/convert.sh DIR}): how many bytes the driver's own thread
 * allocates while the full MNIST is prepared for training, today's driver-side IDX path (read on the driver,
 * split, one broadcast per block) against the executor-side IDX and Parquet paths. In local mode the executors
 * are threads of the same JVM, so the heap as a whole cannot tell the driver from the executors; the driver
 * thread's allocation ({@code com.sun.management.ThreadMXBean}) can, and it bounds what the driver held.
 */
class DriverMemoryProbe extends SparkTestBase {
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void report() {
    DataConfig idx = new DataConfig(null, 5000, false, 2, 0, null);
    long before = allocated();
    PreparedData old = PreparedData.load(idx, 42);
    try (PartitionedDataset a = PartitionedDataset.distribute(jsc(), old.train(), 2, "train");
        PartitionedDataset b = PartitionedDataset.distribute(jsc(), old.validation(), 2, "validation");
        PartitionedDataset c = PartitionedDataset.distribute(jsc(), old.test(), 2, "test")) {
      System.out.printf("driver-side IDX: %d rows on the driver, %.1f MB allocated by the driver thread%n",
          old.train().rows() + old.validation().rows() + old.test().rows(), (allocated() - before) / 1e6);
    }
    before = allocated();
    try (DistributedData d = DistributedData.load(jsc(), idx, 42, "probe")) {
      System.out.printf("executor-side IDX: %s; %.1f MB allocated by the driver thread%n", d.describe(),
          (allocated() - before) / 1e6);
    }
    String parquet = System.getProperty("sparknn.parquet");
    if (parquet != null) {
      DataConfig table = new DataConfig("parquet", null, parquet + "/train", parquet + "/test", null, null, null,
          null, 5000, false, 2, 0, null);
      before = allocated();
      try (DistributedData d = DistributedData.load(jsc(), table, 42, "probe")) {
        System.out.printf("executor-side Parquet: %s; %.1f MB allocated by the driver thread%n", d.describe(),
            (allocated() - before) / 1e6);
      }
    }
  }
}
