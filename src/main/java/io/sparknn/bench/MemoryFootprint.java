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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.RDDInfo;
import scala.Tuple2;

/**
 * Trains the homework's MLP for a fixed number of iterations on local Spark and samples, every few hundred
 * iterations, the driver's live heap after a full GC and the storage memory Spark's block managers hold: both
 * must stay flat (broadcasts removed, nothing cached per iteration). With {@code --fail-every N} it is a soak:
 * the first attempt of a task fails at every N-th iteration (Spark retries it), the failed tasks Spark reported
 * are counted, and a clean run of the same length follows, whose weights must equal the faulty run's to the
 * bit. Run: {@code jobs/bench-memory.sh [ITERS] [--fail-every N]}.
 */
public final class MemoryFootprint {
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 196),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(196, 98), LayerSpec.of("LeakyReLU"), LayerSpec.linear(98, 10),
      LayerSpec.of("SoftMax")));

  private MemoryFootprint() {}

  public static void main(String[] args) {
    int iterations = 2000;
    long failEvery = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--fail-every")) {
        failEvery = Long.parseLong(args[++i]);
      } else {
        iterations = Integer.parseInt(args[i]);
      }
    }
    // Retries need more than one attempt per task: local[2, 4].
    JavaSparkContext sc = new JavaSparkContext(new SparkConf().setIfMissing("spark.master",
            failEvery > 0 ? "local[2,4]" : "local[2]")
        .setAppName("memory footprint").set("spark.ui.enabled", "false")
        .set("spark.task.maxDirectResultSize", "16m").set("spark.broadcast.compress", "false"));
    try {
      Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0];
      AtomicLong failedTasks = new AtomicLong();
      sc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
          if (!e.taskInfo().successful()) {
            failedTasks.incrementAndGet();
          }
        }
      });
      System.out.println("| iteration | driver live heap MB | cached RDD MB | executor storage used MB "
          + "| broadcasts alive |");
      System.out.println("|---|---|---|---|---|");
      double[] faulty = train(sc, train, iterations, failEvery, true);
      if (failEvery > 0) {
        sc.sc().listenerBus().waitUntilEmpty(60_000);
        System.out.printf("failed task attempts Spark reported: %d (one injected every %d iterations)%n",
            failedTasks.get(), failEvery);
        double[] clean = train(sc, train, iterations, 0, false);
        System.out.println("weights bit-identical to a clean run: " + Arrays.equals(faulty, clean));
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    } finally {
      sc.stop();
    }
  }

  /** Trains for {@code iterations} (whole epochs, at least that many); returns the final weights. */
  private static double[] train(JavaSparkContext sc, Dataset train, int iterations, long failEvery,
      boolean report) {
    int epochs = (int) Math.ceil(iterations / Math.ceil(train.rows() / 128.0));
    int every = Math.max(1, iterations / 8);
    Sequential model = SPEC.build(1);
    SparkTrainer trainer = new SparkTrainer(sc, SPEC, model, new CriterionSpec("ClassNLL"), Target.CLASSES,
        new SgdMomentum(0.9), TrainingOptions.of(128, epochs, 0.05, 1)).failFirstAttemptEvery(failEvery);
    try (PartitionedDataset data = PartitionedDataset.distribute(sc, train, 2, "train")) {
      trainer.fit(data, null, new TrainingListener() {
        @Override
        public void onEpoch(io.sparknn.train.EpochMetrics m) {}

        @Override
        public void onIteration(int epoch, long iteration, double loss, double[] weights) {
          if (report && ((iteration + 1) % every == 0 || iteration == 0)) {
            report(sc, iteration + 1);
          }
        }
      });
    }
    return model.parameters().clone();
  }

  private static void report(JavaSparkContext sc, long iteration) {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long cached = 0;
    for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
      cached += info.memSize();
    }
    long used = 0;
    scala.collection.Iterator<Tuple2<String, Tuple2<Object, Object>>> it =
        sc.sc().getExecutorMemoryStatus().iterator();
    while (it.hasNext()) {
      Tuple2<Object, Object> maxAndFree = it.next()._2();
      used += (Long) maxAndFree._1() - (Long) maxAndFree._2();
    }
    long broadcasts = sc.sc().env().blockManager().master().getMatchingBlockIds(
        id -> id.isBroadcast(), true).size();
    System.out.printf("| %d | %.1f | %.1f | %.1f | %d |%n", iteration, heap / 1048576.0, cached / 1048576.0,
        used / 1048576.0, broadcasts);
  }
}
