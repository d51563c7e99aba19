package io.sparknn.testkit.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparknn.run.SparkSetup;
import io.sparknn.testkit.LocalSpark;
import io.sparknn.testkit.SparkTest;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The extension's parameters are one shared local session with sparknn's settings. */
@SparkTest
class SparkLocalTest {
  private final SparkSession fromConstructor;

  SparkLocalTest(SparkSession spark) {
    this.fromConstructor = spark;
  }

  @Test
  void everyParameterIsTheSameLocalSessionWithSparknnsSettings(SparkSession spark, JavaSparkContext jsc,
      SparkContext sc) {
    assertSame(fromConstructor, spark);
    assertSame(spark.sparkContext(), sc);
    assertSame(sc, jsc.sc());
    assertEquals(LocalSpark.MASTER, sc.master());
    SparkSetup.settings().forEach((k, v) -> assertEquals(v, sc.getConf().get(k), k));
    assertEquals(4, jsc.parallelize(java.util.List.of(1, 2, 3, 4), 2).count());
  }

  @Test
  void anotherConfigurationReplacesTheSharedSessionUntilTheDefaultIsAskedForAgain(SparkSession spark) {
    SparkSession kryo = LocalSpark.session(LocalSpark.defaultConf()
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer"));
    assertNotSame(spark.sparkContext(), kryo.sparkContext());
    assertSame(kryo, LocalSpark.session(LocalSpark.defaultConf()
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")));
    SparkSession again = LocalSpark.session();
    assertEquals("org.apache.spark.serializer.JavaSerializer",
        again.sparkContext().getConf().get("spark.serializer", "org.apache.spark.serializer.JavaSerializer"));
  }
}
