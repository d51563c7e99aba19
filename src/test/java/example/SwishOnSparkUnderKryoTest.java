package example;

import org.apache.spark.SparkConf;

/** {@link SwishOnSparkTest} with Kryo as Spark's data serializer. */
class SwishOnSparkUnderKryoTest extends SwishOnSparkTest {
  @Override
  public SparkConf conf() {
    return withKryo(super.conf());
  }
}
