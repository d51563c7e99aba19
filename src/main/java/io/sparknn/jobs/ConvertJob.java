package io.sparknn.jobs;

import io.sparknn.config.ConfigException;
import io.sparknn.data.BlockTables;
import io.sparknn.data.DataFileException;
import io.sparknn.data.HadoopFileSystems;
import io.sparknn.data.IdxBlocks;
import io.sparknn.data.IdxHeader;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.RowSelection;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.SparkSetup;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Writes IDX data as Parquet, read and converted by the executors:
 * {@code ConvertJob OUT [MNIST_DIR]} writes {@code OUT/train} and {@code OUT/test} from a directory of the four
 * MNIST files (default: the embedded MNIST); {@code ConvertJob OUT IMAGES LABELS} writes one table. Options:
 * {@code --set features=vector|array} (a Spark ML dense vector, default, or {@code array<float>}),
 * {@code --set partitions=N} (files per table; default Spark's default parallelism). Labels are doubles.
 *
 * <p>Atomic: everything is written under a hidden sibling {@code .OUT.tmp-*} that is renamed to {@code OUT}
 * only when complete, and removed on failure; an existing {@code OUT} is refused, never written into.
 */
public final class ConvertJob {
  private ConvertJob() {}

  public static void main(String[] args) {
    JobMain.exit("ConvertJob", () -> convert(args, null));
  }

  /** Runs the conversion (in {@code existing} when not null) and returns the output path. */
  public static String convert(String[] args, JavaSparkContext existing) throws IOException {
    JobArguments a = JobArguments.parse(args);
    List<String> p = a.positional();
    if (a.help() || p.isEmpty() || p.size() > 3) {
      throw new ConfigException("usage: ConvertJob OUT [MNIST_DIR | IMAGES LABELS] [--set features=vector|array]"
          + " [--set partitions=N]");
    }
    BlockTables.Features features = BlockTables.Features.VECTOR;
    int partitions = 0;
    for (String s : a.overrides()) {
      if (s.equals("features=vector") || s.equals("features=array")) {
        features = s.endsWith("vector") ? BlockTables.Features.VECTOR : BlockTables.Features.FLOAT_ARRAY;
      } else if (s.startsWith("partitions=")) {
        try {
          partitions = Integer.parseInt(s.substring("partitions=".length()));
        } catch (NumberFormatException e) {
          partitions = -1;
        }
        if (partitions <= 0) {
          throw new ConfigException("--set " + s + ": expected a positive number of files per table");
        }
      } else {
        throw new ConfigException("ConvertJob takes --set features=vector|array and --set partitions=N; got --set "
            + s);
      }
    }
    Configuration conf = new Configuration();
    String out = p.get(0);
    FileSystem fs = HadoopFileSystems.of(HadoopFileSystems.path(out), conf);
    // Qualified, so that a bare name still has a parent directory to hold the temporary one.
    Path target = fs.makeQualified(HadoopFileSystems.path(out));
    if (fs.exists(target)) {
      throw new DataFileException(out, "already exists; the converter writes a new directory and never into an"
          + " existing one");
    }
    // Everything about the input is checked before Spark starts.
    String[][] pairs;
    if (p.size() == 3) {
      pairs = new String[][] {{p.get(1), p.get(2), null}};
    } else {
      String[] f = MnistFiles.paths(p.size() == 2 ? p.get(1) : MnistFiles.defaultDir(), conf);
      pairs = new String[][] {{f[0], f[1], "train"}, {f[2], f[3], "test"}};
    }
    IdxHeader[][] headers = new IdxHeader[pairs.length][];
    for (int i = 0; i < pairs.length; i++) {
      headers[i] = IdxBlocks.headers(pairs[i][0], pairs[i][1], conf);
    }
    Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    JavaSparkContext sc = existing != null ? existing : SparkSetup.start("sparknn convert");
    try {
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      for (int i = 0; i < pairs.length; i++) {
        IdxHeader[] h = headers[i];
        int parts = Math.min(partitions > 0 ? partitions : sc.defaultParallelism(), h[0].count());
        // The files' labels fix the classes: at most 256 for uint8, checked by the reader.
        var blocks = IdxBlocks.of(sc, h[0], h[1], RowSelection.ranges(h[0].count(), parts), 256);
        Path dest = pairs[i][2] == null ? temp : new Path(temp, pairs[i][2]);
        BlockTables.of(spark, blocks, features).write().parquet(dest.toString());
        System.out.printf("sparknn: %s + %s -> %s (%d rows, %d features, %d files)%n", pairs[i][0], pairs[i][1],
            pairs[i][2] == null ? out : out + "/" + pairs[i][2], h[0].count(), h[0].rowBytes(), parts);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("could not rename " + temp + " to " + target);
      }
      return out;
    } finally {
      if (fs.exists(temp)) {
        fs.delete(temp, true);
      }
      if (existing == null) {
        sc.stop();
      }
    }
  }
}
