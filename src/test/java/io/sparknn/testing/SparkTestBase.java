package io.sparknn.testing;

import com.holdenkarau.spark.testing.SharedJavaSparkContext;
import io.sparknn.train.spark.PartitionJobs;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Spark local-mode tests share one {@code local[2]} context per test class through spark-testing-base (its
 * JUnit 4 hooks called from Jupiter). The master allows 3 attempts per task ({@code local[2,3]}) so that
 * fault-injection tests see real retries.
 */
public abstract class SparkTestBase extends SharedJavaSparkContext {
  @Override
  public SparkConf conf() {
    return new SparkConf()
        .setMaster("local[2,3]")
        .setAppName(getClass().getSimpleName())
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.task.maxDirectResultSize", "16m")
        .set("spark.broadcast.compress", "false");
  }

  /**
   * {@code conf} with Kryo as Spark's data serializer, as many clusters configure it in spark-defaults: task
   * results, broadcast values and shuffled rows then go through Kryo instead of Java serialisation. Local
   * mode's by-reference hand-off of task results is off, or training results would never meet Kryo here.
   */
  protected static SparkConf withKryo(SparkConf conf) {
    return conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set(PartitionJobs.SAME_JVM_RESULTS_KEY, "false");
  }

  @BeforeEach
  public void startSpark() {
    runBefore();
  }

  @AfterAll
  public static void stopSpark() {
    runAfterClass();
  }
}
