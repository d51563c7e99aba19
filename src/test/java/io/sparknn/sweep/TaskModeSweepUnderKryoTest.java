package io.sparknn.sweep;

import org.apache.spark.SparkConf;

/** Every {@link TaskModeSweepTest} again with Kryo as Spark's serializer (trial data, rung states and outcomes). */
class TaskModeSweepUnderKryoTest extends TaskModeSweepTest {
  @Override
  public SparkConf conf() {
    return withKryo(super.conf());
  }
}
