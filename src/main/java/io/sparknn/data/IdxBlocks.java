package io.sparknn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * An IDX images file and its labels file read by the executors, each partition its own rows
 * ({@link RowSelection}) into one uint8 {@link Dataset} block (features scaled to [0, 1], as
 * {@link MnistFiles} gives): the driver reads only the two headers. An uncompressed file is read by seeking to
 * each run of selected rows; a gzip file, which cannot seek, is streamed from its start and the rows before the
 * partition's are skipped. The tasks carry only the paths and their selection, so a lost block is read again
 * from the files. Labels outside {@code [0, classes)} are refused naming the labels file and the row's index.
 */
public final class IdxBlocks {
  private IdxBlocks() {}

  /**
   * The headers of {@code imagesPath} and {@code labelsPath}, checked against each other: {@code {images,
   * labels}}.
   */
  public static IdxHeader[] headers(String imagesPath, String labelsPath, Configuration conf) {
    IdxHeader labels = IdxHeader.labels(labelsPath, conf);
    IdxHeader images = IdxHeader.images(imagesPath, conf);
    if (images.count() != labels.count()) {
      throw new DataFileException(imagesPath, "holds " + images.count() + " images but " + labelsPath + " holds "
          + labels.count() + " labels; expected one label per image");
    }
    return new IdxHeader[] {images, labels};
  }

  /** One block per selection, read lazily on the executors (nothing is read until the RDD is computed). */
  public static JavaRDD<Dataset> of(JavaSparkContext sc, IdxHeader images, IdxHeader labels,
      List<RowSelection> parts, int classes) {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("uint8 labels allow 1 to 256 classes, got " + classes);
    }
    // The Hadoop configuration travels once, as a broadcast: captured in the closure it would be serialised into
    // the task binary of every stage over these blocks, that is, into every training iteration.
    Broadcast<SerializableWritable<Configuration>> conf =
        sc.broadcast(new SerializableWritable<>(sc.hadoopConfiguration()));
    return sc.parallelize(new ArrayList<>(parts), parts.size())
        .map(s -> block(images, labels, s, classes, conf.value().value()));
  }

  /**
   * The largest label among the first {@code n} rows of {@code labels}, found by the executors reading
   * {@code partitions} ranges of it: the number of classes is that plus one unless a config says otherwise.
   */
  public static int maxLabel(JavaSparkContext sc, IdxHeader labels, long n, int partitions) {
    SerializableWritable<Configuration> conf = new SerializableWritable<>(sc.hadoopConfiguration());
    return sc.parallelize(new ArrayList<>(RowSelection.ranges(n, partitions)), partitions).map(s -> {
      byte[] y = read(labels, s, conf.value());
      int max = 0;
      for (byte b : y) {
        max = Math.max(max, b & 0xFF);
      }
      return max;
    }).reduce(Math::max);
  }

  static Dataset block(IdxHeader images, IdxHeader labels, RowSelection s, int classes, Configuration conf)
      throws IOException {
    byte[] y = read(labels, s, conf);
    for (int i = 0; i < y.length; i++) {
      if ((y[i] & 0xFF) >= classes) {
        throw new DataFileException(labels.path(), "label " + (y[i] & 0xFF) + " at index " + globalIndex(s, i)
            + " is out of range; expected labels 0.." + (classes - 1) + " for " + classes + " classes");
      }
    }
    byte[] x = read(images, s, conf);
    return Dataset.ofBytes(x, y, s.count(), images.rowBytes(), classes);
  }

  private static long globalIndex(RowSelection s, int row) throws IOException {
    long[] found = {-1};
    s.forEachRun((first, length, at) -> {
      if (row >= at && row < at + length) {
        found[0] = first + (row - at);
      }
    });
    return found[0];
  }

  /** The selected rows of {@code file}, row after row. */
  static byte[] read(IdxHeader file, RowSelection s, Configuration conf) throws IOException {
    int w = file.rowBytes();
    byte[] out = new byte[Math.multiplyExact(s.count(), w)];
    Path p = HadoopFileSystems.path(file.path());
    FileSystem fs = HadoopFileSystems.of(p, conf);
    try (FSDataInputStream in = fs.open(p)) {
      if (!file.gzip()) {
        s.forEachRun((first, length, at) -> in.readFully(file.headerBytes() + first * w, out, at * w, length * w));
        return out;
      }
      try (InputStream z = new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16)) {
        long[] position = {0};
        s.forEachRun((first, length, at) -> {
          skip(z, file.headerBytes() + first * w - position[0], file);
          int got = z.readNBytes(out, at * w, length * w);
          if (got < length * w) {
            throw new DataFileException(file.path(), "is truncated: it ends inside row " + (first + got / w)
                + " of the " + file.count() + " that its header announces");
          }
          position[0] = file.headerBytes() + (first + length) * w;
        });
        if (s.to() == file.count() && z.read() != -1) {
          throw new DataFileException(file.path(), "has trailing garbage of uncompressed data after the "
              + file.count() + " rows its header describes; expected the file to end there");
        }
      } catch (EOFException e) {
        throw new DataFileException(file.path(), "is corrupt or truncated gzip data (" + e.getMessage()
            + "); expected a complete gzip stream", e);
      } catch (java.util.zip.ZipException e) {
        throw new DataFileException(file.path(), "is corrupt gzip data (" + e.getMessage() + ")", e);
      }
      return out;
    }
  }

  private static void skip(InputStream in, long bytes, IdxHeader file) throws IOException {
    long left = bytes;
    while (left > 0) {
      long n = in.skip(left);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new DataFileException(file.path(), "is truncated: it ends before the rows its header announces");
        }
        n = 1;
      }
      left -= n;
    }
  }
}
