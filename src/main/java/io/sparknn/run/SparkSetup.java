package io.sparknn.run;

import io.sparknn.tensor.Blas;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark session a job runs in, with the settings that make sparknn's per-iteration
 * round trip cheap, unless the user set them: task results up to 16 MiB return directly instead of through
 * the block manager (a gradient is 1.4 MB), and broadcasts of incompressible doubles are not compressed. With
 * no master given (a plain {@code java} run), it uses {@code local[*]}.
 */
public final class SparkSetup {
  private SparkSetup() {}

  /**
   * The settings sparknn wants in any Spark application it trains in (jobs, and the test kit's local
   * session), each to be set only where the user did not set it.
   */
  public static java.util.Map<String, String> settings() {
    return java.util.Map.of(
        "spark.task.maxDirectResultSize", "16m",
        "spark.broadcast.compress", "false",
        "spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
  }

  public static JavaSparkContext start(String appName) {
    return start(appName, java.util.Map.of());
  }

  /** As {@link #start(String)}, with {@code defaults} set too unless the user set them (e.g. a scheduler mode). */
  public static JavaSparkContext start(String appName, java.util.Map<String, String> defaults) {
    SparkConf conf = new SparkConf();
    defaults.forEach(conf::setIfMissing);
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", appName);
    settings().forEach(conf::setIfMissing);
    conf.setIfMissing("spark.ui.showConsoleProgress", "true");
    SparkSession session = SparkSession.builder().config(conf).getOrCreate();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
    System.err.println("sparknn: Spark " + sc.version() + ", master " + sc.master() + ", default parallelism "
        + sc.defaultParallelism() + ", driver BLAS " + Blas.implementation());
    return sc;
  }
}
