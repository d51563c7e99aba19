package io.sparknn.train.spark;

import org.apache.spark.SparkConf;

/**
 * Every {@link SparkTrainerTest} again with {@code spark.serializer=KryoSerializer}. Kryo's default
 * FieldSerializer cannot build Java records ("can't get field offset on a record class"), so before the records
 * that cross Spark as data were annotated to use Java serialisation inside Kryo, a user's Kryo setting made
 * every training task fail.
 */
class SparkTrainerUnderKryoTest extends SparkTrainerTest {
  @Override
  public SparkConf conf() {
    return withKryo(super.conf());
  }
}
