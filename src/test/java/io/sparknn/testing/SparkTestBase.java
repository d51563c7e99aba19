package io.sparknn.testing;

import io.sparknn.testkit.LocalSpark;
import io.sparknn.train.spark.Exchange;
import io.sparknn.train.spark.PartitionJobs;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Spark local-mode tests of this project: {@link #jsc()} is the test kit's shared {@code local[2,3]} context
 * ({@link LocalSpark}), or one started with the class's own {@link #conf()} (Kryo, say). It is stopped after
 * each class, because the cluster tests start SparkContexts of their own in the same JVM.
 */
public abstract class SparkTestBase {
  private JavaSparkContext jsc;

  /** The settings this class's context runs with; override to add to {@code super.conf()}. */
  public SparkConf conf() {
    return LocalSpark.defaultConf();
  }

  /**
   * {@code conf} with Kryo as Spark's data serializer, as many clusters configure it in spark-defaults: task
   * results, broadcast values and shuffled rows then go through Kryo instead of Java serialisation. Local
   * mode's by-reference hand-off of task results is off, and so is the channel exchange, or training results would
   * never meet Kryo here.
   */
  protected static SparkConf withKryo(SparkConf conf) {
    return conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set(PartitionJobs.SAME_JVM_RESULTS_KEY, "false").set(Exchange.KEY, "jobs");
  }

  public JavaSparkContext jsc() {
    return jsc;
  }

  @BeforeEach
  public void startSpark() {
    jsc = LocalSpark.context(conf());
  }

  @AfterAll
  public static void stopSpark() {
    LocalSpark.stop();
  }
}
