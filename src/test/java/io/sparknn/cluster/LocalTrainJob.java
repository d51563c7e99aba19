package io.sparknn.cluster;

import io.sparknn.jobs.TrainJob;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The local reference runs of the cluster tests: {@link TrainJob} in a Spark local-mode context of its own. */
final class LocalTrainJob {
  private LocalTrainJob() {}

  /** Runs {@code TrainJob} with {@code args} on {@code master} (e.g. {@code local[2]}) and stops the context. */
  static void run(String master, String name, List<String> args) throws Exception {
    SparkConf conf = new SparkConf().setMaster(master).setAppName(name)
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
    JavaSparkContext sc = new JavaSparkContext(conf);
    try {
      TrainJob.train(args.toArray(new String[0]), sc);
    } finally {
      sc.stop();
    }
  }
}
