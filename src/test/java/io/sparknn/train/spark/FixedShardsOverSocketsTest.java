package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.testing.SparkTestBase;
import io.sparknn.train.spark.FixedShardsTest.SparkRun;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed row shards over real TCP links in local mode (the same-JVM hand-off off, four task slots): four tasks of
 * the channel replying whole sums without their zeros, and three adding the sums among themselves
 * ({@link PeerMesh}), end in the bits of one partition in one JVM. Four partitions' tree is {@code (a + b) + (c +
 * d)} and three's, of 2, 2 and 4 shards, {@code (a + b) + c}: neither is the partition-order sum, so the tasks and
 * the driver must both add along it.
 */
class FixedShardsOverSocketsTest extends SparkTestBase {
  @Override
  public SparkConf conf() {
    return super.conf().setMaster("local[4,3]").set(PartitionJobs.SAME_JVM_RESULTS_KEY, "false")
        .set(ChannelRounds.TIMEOUT_KEY, "10s");
  }

  @BeforeAll
  static void loadDigits() {
    FixedShardsTest.loadDigits();
  }

  @Test
  void channelTasksWithTheSumsOnTheDriverOrAmongThemselvesEndInTheBitsOfOneJvm() {
    double[] laptop = FixedShardsTest.oneJvm(FixedShardsTest.SHARDED, 1);
    int weights = ChannelExchangeTest.SPEC.build(5).parameterCount();
    SparkRun dense = FixedShardsTest.onSpark(jsc(), FixedShardsTest.SHARDED, 4, Exchange.CHANNEL,
        Aggregation.DIRECT);
    assertArrayEquals(laptop, dense.weights(), "4 tasks, whole sums over TCP");
    long iterations = dense.times().iterations();
    assertTrue(dense.times().resultBytes() < iterations * 4L * Double.BYTES * weights,
        "replies left out their zeros: " + dense.times().resultBytes() + " bytes");
    SparkRun amongTasks = FixedShardsTest.onSpark(jsc(), FixedShardsTest.SHARDED, 3, Exchange.CHANNEL,
        Aggregation.SLICED);
    assertArrayEquals(laptop, amongTasks.weights(), "3 tasks adding the sums among themselves");
    long oneVector = iterations * (long) Double.BYTES * weights;
    assertTrue(amongTasks.times().resultBytes() < oneVector && amongTasks.times().resultBytes() > oneVector / 4,
        "the driver received one summed vector an iteration, without its zeros: "
            + amongTasks.times().resultBytes() + " bytes against " + oneVector);
  }
}
