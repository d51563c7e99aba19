package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.SparkTrainer;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;

/**
 * Trains the homework's MLP for a fixed number of iterations on local Spark and samples, every few hundred
 * iterations, the driver's live heap after a full GC and the storage memory Spark's block managers hold: both
 * must stay flat (broadcasts destroyed, nothing cached per iteration). Run: {@code jobs/bench-memory.sh [ITERS]}.
 */
public final class MemoryFootprint {
  private MemoryFootprint() {}

  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int every = Math.max(1, iterations / 8);
    JavaSparkContext sc = new JavaSparkContext(new SparkConf().setIfMissing("spark.master", "local[2]")
        .setAppName("memory footprint").set("spark.ui.enabled", "false")
        .set("spark.task.maxDirectResultSize", "16m").set("spark.broadcast.compress", "false"));
    try {
      Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0];
      ModelSpec spec = new ModelSpec(784, List.of(LayerSpec.linear(784, 196), LayerSpec.of("LeakyReLU"),
          LayerSpec.linear(196, 98), LayerSpec.of("LeakyReLU"), LayerSpec.linear(98, 10), LayerSpec.of("SoftMax")));
      int epochs = (int) Math.ceil(iterations / Math.ceil(train.rows() / 128.0));
      Sequential model = spec.build(1);
      SparkTrainer trainer = new SparkTrainer(sc, spec, model, new CriterionSpec("ClassNLL"), Target.CLASSES,
          new SgdMomentum(0.9), TrainingOptions.of(128, epochs, 0.05, 1));
      System.out.println("| iteration | driver live heap MB | Spark storage MB | broadcasts alive |");
      System.out.println("|---|---|---|---|");
      try (PartitionedDataset data = PartitionedDataset.distribute(sc, train, 2, "train")) {
        trainer.fit(data, null, new TrainingListener() {
          @Override
          public void onEpoch(io.sparknn.train.EpochMetrics m) {}

          @Override
          public void onIteration(int epoch, long iteration, double loss, double[] weights) {
            if ((iteration + 1) % every == 0 || iteration == 0) {
              report(sc, iteration + 1);
            }
          }
        });
      }
    } finally {
      sc.stop();
    }
  }

  private static void report(JavaSparkContext sc, long iteration) {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long storage = 0;
    for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
      storage += info.memSize();
    }
    long broadcasts = sc.sc().env().blockManager().master().getMatchingBlockIds(
        id -> id.isBroadcast(), true).size();
    System.out.printf("| %d | %.1f | %.1f | %d |%n", iteration, heap / 1048576.0, storage / 1048576.0, broadcasts);
  }
}
