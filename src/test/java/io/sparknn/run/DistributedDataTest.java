package io.sparknn.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.config.ConfigException;
import io.sparknn.config.DataConfig;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.jobs.ConvertJob;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.IdxFixtures;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.SparkTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributedDataTest extends SparkTestBase {
  @TempDir
  Path tmp;

  private static DataConfig idx(String dir, int limit, int validation, int partitions, boolean standardize) {
    return new DataConfig(dir, validation, standardize, partitions, limit, null);
  }

  private static DataConfig table(String format, String train, String test, int validation, int partitions) {
    return new DataConfig(format, null, train, test, null, null, null, null, validation, false, partitions, 0,
        null);
  }

  private static Dataset[] blocks(PartitionedDataset d) {
    return d.rdd().collect().toArray(new Dataset[0]);
  }

  private Path mnistIdx() {
    Path dir = tmp.resolve("idx");
    IdxFixtures.write(dir, Datasets.mnistTrain(700), Datasets.mnistTest(200));
    return dir;
  }

  @Test
  void executorsReadExactlyTheBlocksTheDriverUsedToCut() {
    // Raw files (seeks) and the embedded gzip files (streamed and skipped), against the driver-side split.
    for (String dir : List.of(mnistIdx().toString(), MnistFiles.defaultDir())) {
      DataConfig d = idx(dir, 600, 100, 3, false);
      PreparedData old = PreparedData.load(d, 7);
      try (DistributedData now = DistributedData.load(jsc(), d, 7, "test")) {
        assertEquals(10, now.classes());
        assertArrayEquals(PartitionedDataset.split(old.train(), 3), blocks(now.train()), dir);
        assertArrayEquals(PartitionedDataset.split(old.validation(), 3), blocks(now.validation()), dir);
        assertArrayEquals(PartitionedDataset.split(old.test(), Math.min(3, old.test().rows())),
            blocks(now.test()), dir);
      }
    }
  }

  @Test
  void standardisationUsesTheTrainingBlocksMeanAndStd() {
    try (DistributedData d = DistributedData.load(jsc(), idx(mnistIdx().toString(), 0, 100, 2, true), 7, "t")) {
      double[] ms = d.train().meanAndStd();
      assertEquals(0, ms[0], 1e-9);
      assertEquals(1, ms[1], 1e-9);
      assertTrue(Math.abs(d.test().meanAndStd()[0]) < 0.1, "test data standardised with the training statistics");
    }
  }

  @Test
  void overFixedShardsTheTrainingRowsAreCutAtTheShardsNodesAndTooManyPartitionsAreRefused() {
    Path idx = mnistIdx();
    try (DistributedData one = DistributedData.load(jsc(), idx(idx.toString(), 0, 100, 1, false), 7, 8, "s");
        DistributedData three = DistributedData.load(jsc(), idx(idx.toString(), 0, 100, 3, false), 7, 8, "s")) {
      // 600 training rows over 8 shards: the nodes of 2, 2 and 4 shards.
      assertArrayEquals(new int[] {150, 150, 300}, three.train().sizes());
      Dataset whole = blocks(one.train())[0];
      int row = 0;
      for (Dataset part : blocks(three.train())) {
        for (int r = 0; r < part.rows(); r++, row++) {
          assertEquals(whole.label(row), part.label(r), "row " + row);
        }
      }
    }
    ConfigException e = assertThrows(ConfigException.class,
        () -> DistributedData.load(jsc(), idx(idx.toString(), 0, 100, 12, false), 7, 8, "s.yaml"));
    assertEquals("s.yaml: key 'data.partitions' is 12, but 'shards: 8' needs at most 8 partitions, so that each "
        + "holds whole shards", e.getMessage());
  }

  @Test
  void parquetWrittenByTheConvertJobHoldsTheIdxRowsAndTrainsAsLocallyOnItsBlocks() throws Exception {
    Path idx = mnistIdx();
    String out = tmp.resolve("parquet").toString();
    ConvertJob.convert(new String[] {out, idx.toString(), "--set", "partitions=1"}, jsc());
    DataConfig fromIdx = idx(idx.toString(), 0, 100, 2, false);
    DataConfig fromParquet = table("parquet", out + "/train", out + "/test", 100, 2);
    try (DistributedData a = DistributedData.load(jsc(), fromIdx, 3, "idx");
        DistributedData b = DistributedData.load(jsc(), fromParquet, 3, "parquet")) {
      assertEquals(784, b.cols());
      assertEquals(10, b.classes());
      Dataset[] x = blocks(a.train());
      Dataset[] y = blocks(b.train());
      assertEquals(x.length, y.length);
      for (int p = 0; p < x.length; p++) {
        assertEquals(x[p].rows(), y[p].rows());
        for (int r = 0; r < x[p].rows(); r += 7) {
          assertEquals(x[p].label(r), y[p].label(r));
          for (int c = 0; c < 784; c++) {
            assertEquals((float) x[p].feature(r, c), (float) y[p].feature(r, c));
          }
        }
      }
      // Distributed equals local on the Parquet partitions: LocalTrainer replays the tasks on the same blocks.
      ModelSpec spec = new ModelSpec(784, List.of(LayerSpec.linear(784, 16), LayerSpec.of("ReLU"),
          LayerSpec.linear(16, 10), LayerSpec.of("SoftMax")));
      TrainingOptions options = TrainingOptions.of(50, 1, 0.05, 5);
      Sequential onSpark = spec.build(1);
      new SparkTrainer(jsc(), spec, onSpark, new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9),
          options).fit(b.train(), null, TrainingListener.none());
      Sequential local = spec.build(1);
      new LocalTrainer(local, new Objective(new CriterionSpec("ClassNLL").build(), Target.CLASSES),
          new SgdMomentum(0.9), options).replayTasks().fit(y, null, TrainingListener.none());
      assertArrayEquals(local.parameters(), onSpark.parameters());
    }
  }

  @Test
  void libsvmFilesAreReadAtTheTrainingFilesWidth() throws Exception {
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      train.append(i % 3).append(" 1:").append(i * 0.1).append(' ').append(2 + i % 5).append(":1.5\n");
      test.append(i % 3).append(" 2:").append(i).append('\n');
    }
    Files.writeString(tmp.resolve("train.libsvm"), train);
    Files.writeString(tmp.resolve("test.libsvm"), test);
    DataConfig d = table("libsvm", tmp.resolve("train.libsvm").toString(), tmp.resolve("test.libsvm").toString(),
        6, 2);
    try (DistributedData data = DistributedData.load(jsc(), d, 1, "libsvm")) {
      assertEquals(6, data.cols());
      assertEquals(6, data.test().cols());
      assertEquals(3, data.classes());
      assertEquals(24, data.train().rows());
      assertEquals(6, data.validation().rows());
      Dataset block = blocks(data.test())[0];
      assertEquals(0.0, block.feature(0, 0));
      assertEquals(0.0, block.feature(0, 1));
      assertEquals(1.0, block.feature(1, 1));
    }
  }
}
