package io.sparknn.testkit.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.IdxFixtures;
import io.sparknn.testkit.ParquetFixtures;
import io.sparknn.testkit.SparkTest;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's data sets and the files it writes read back as what went in. */
@SparkTest
class FixturesTest {
  @TempDir
  Path tmp;

  @Test
  void digitsAndBlobsHaveTheirShapes() {
    Dataset digits = Datasets.mnistTrain(50);
    assertEquals(List.of(50, 784, 10), List.of(digits.rows(), digits.cols(), digits.classes()));
    assertEquals(5, Datasets.mnistTrain(5).label(0), "MNIST's first training digit is a 5");
    assertEquals(7, Datasets.mnistTest(5).label(0), "its first test digit a 7");
    Dataset blobs = Datasets.blobs(30, 1);
    assertEquals(List.of(60, 2, 2), List.of(blobs.rows(), blobs.cols(), blobs.classes()));
  }

  @Test
  void idxFilesOfDigitsReadBackIdentical() {
    Dataset train = Datasets.mnistTrain(40);
    Dataset test = Datasets.mnistTest(20);
    IdxFixtures.write(tmp, train, test);
    Dataset[] back = MnistFiles.trainAndTest(tmp.toString());
    assertEquals(train, back[0]);
    assertEquals(test, back[1]);
  }

  @Test
  void syntheticIdxFilesHaveTheAskedSizes() {
    IdxFixtures.write(tmp, 28, 20, 30);
    Dataset train = MnistFiles.load(tmp.resolve("train-images-idx3-ubyte").toString(),
        tmp.resolve("train-labels-idx1-ubyte").toString(), 10);
    assertEquals(List.of(30, 784, 3), List.of(train.rows(), train.cols(), train.label(13)));
  }

  @Test
  void parquetHoldsFeaturesAsArraysOrVectorsAndIntLabels(SparkSession spark) {
    Dataset blobs = Datasets.blobs(5, 2);
    String arrays = ParquetFixtures.write(spark, blobs, ParquetFixtures.Features.ARRAY, tmp.resolve("a"));
    String vectors = ParquetFixtures.write(spark, blobs, ParquetFixtures.Features.ML_VECTOR, tmp.resolve("v"));
    assertEquals("struct<features:array<double>,label:int>",
        spark.read().parquet(arrays).schema().simpleString());
    List<Row> a = spark.read().parquet(arrays).collectAsList();
    List<Row> v = spark.read().parquet(vectors).collectAsList();
    assertEquals(10, a.size());
    for (int i = 0; i < 10; i++) {
      double[] x = {blobs.feature(i, 0), blobs.feature(i, 1)};
      assertEquals(List.of(x[0], x[1]), a.get(i).getList(a.get(i).fieldIndex("features")));
      assertArrayEquals(x, v.get(i).<Vector>getAs("features").toArray(), 0.0);
      assertEquals(blobs.label(i), a.get(i).<Integer>getAs("label"));
    }
  }
}
