package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.ml.SparknnClassifier;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.SparkTrainer;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What the driver holds while the homework's MLP trains one epoch on MNIST, two ways in one run: through the
 * Spark ML API from a Parquet table ({@code SparknnClassifier.fit}, the executors read the rows) and through
 * today's IDX path ({@code MnistFiles} on the driver, {@code PartitionedDataset.distribute}, as
 * {@code TrainJob} does). A thread samples the driver's live heap (used after a full GC) every half second
 * during each fit; the peak is reported beside the heap before the fit. Meant for a master whose executors run
 * in JVMs of their own ({@code local-cluster[2,1,1500]}, a cluster): in local mode the executors' cached
 * blocks share the driver's heap. Args: {@code TRAIN_PARQUET} (features: vector, label: double).
 */
public final class DriverHeldData {
  private static final int[] LAYERS = {784, 196, 98, 10};

  private DriverHeldData() {}

  public static void main(String[] args) {
    JobMain.exit("DriverHeldData", () -> {
      run(args[0]);
      return null;
    });
  }

  static void run(String parquet) throws InterruptedException {
    JavaSparkContext sc = SparkSetup.start("sparknn driver-held data");
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    try {
      System.out.println("master " + sc.master() + ", load average " + MachineLoad.loadavg());
      System.out.println("| path | rows read on the driver | live heap before (MB) | peak live heap in fit (MB) |");
      System.out.println("| --- | ---: | ---: | ---: |");
      org.apache.spark.sql.Dataset<Row> table = spark.read().parquet(parquet).repartition(2)
          .persist(StorageLevel.MEMORY_ONLY());
      table.count();
      double before = liveMb();
      double peak = peakDuring(() -> new SparknnClassifier().setLayers(LAYERS).setMaxIter(1).fit(table));
      System.out.printf("| SparknnClassifier.fit on Parquet | 0 | %.1f | %.1f |%n", before, peak);
      table.unpersist(true);

      before = liveMb();
      peak = peakDuring(() -> {
        Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0];
        ModelSpec spec = new ModelSpec(784, List.of(LayerSpec.linear(784, 196), LayerSpec.of("LeakyReLU"),
            LayerSpec.linear(196, 98), LayerSpec.of("LeakyReLU"), LayerSpec.linear(98, 10), LayerSpec.of("SoftMax")));
        try (PartitionedDataset parts = PartitionedDataset.distribute(sc, train, 2, "idx")) {
          Sequential model = spec.build(42);
          new SparkTrainer(sc, spec, model, new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9),
              TrainingOptions.of(128, 1, 0.1, 42)).fit(parts, null, TrainingListener.none());
        }
      });
      System.out.printf("| IDX files read on the driver (TrainJob's path) | 70000 | %.1f | %.1f |%n", before, peak);
    } finally {
      sc.stop();
    }
  }

  private static double liveMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /** Runs {@code fit} while a thread samples the live heap every 500 ms; returns the peak in MB. */
  private static double peakDuring(Runnable fit) throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    double[] peak = {0};
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        peak[0] = Math.max(peak[0], liveMb());
        LockSupport.parkNanos(500_000_000L);
      }
    }, "driver-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      fit.run();
    } finally {
      done.set(true);
      sampler.join();   // the sampler's writes happen-before the read below
    }
    return peak[0];
  }
}
