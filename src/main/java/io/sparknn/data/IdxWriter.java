package io.sparknn.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes uint8 IDX image and label files, raw or gzip-compressed, through the Hadoop {@link FileSystem} API
 * (so to any path {@link IdxReader} can read). The bytes go to a hidden temporary file in the target's
 * directory which is then renamed to the target, so a reader never sees a half-written file. An existing
 * target is left untouched (and a {@link DataFileException} thrown) unless {@code overwrite} is true. The
 * Hadoop API has no atomic replace: with {@code overwrite} the old file is deleted just before the rename,
 * and without it the check for an existing target precedes the rename by a moment (HDFS then refuses the
 * rename; the local file system would not), so concurrent writers of one path must coordinate.
 */
public final class IdxWriter {
  private static final int BUFFER = 1 << 16;

  /** Whether the file is gzip-compressed ({@link IdxReader} detects either from the content). */
  public enum Compression {
    RAW,
    GZIP
  }

  private IdxWriter() {}

  /** Writes {@code images} to {@code path} with a default Hadoop {@link Configuration}. */
  public static void writeImages(String path, IdxImages images, Compression compression, boolean overwrite) {
    writeImages(path, images, compression, overwrite, new Configuration());
  }

  public static void writeImages(String path, IdxImages images, Compression compression, boolean overwrite,
      Configuration conf) {
    int[] dims = {images.count(), images.rows(), images.cols()};
    write(path, IdxFormat.IMAGES_MAGIC, dims, images.pixels(), compression, overwrite, conf);
  }

  /** Writes {@code labels} (at least one) to {@code path} with a default Hadoop {@link Configuration}. */
  public static void writeLabels(String path, byte[] labels, Compression compression, boolean overwrite) {
    writeLabels(path, labels, compression, overwrite, new Configuration());
  }

  public static void writeLabels(String path, byte[] labels, Compression compression, boolean overwrite,
      Configuration conf) {
    if (labels == null || labels.length == 0) {
      // The reader rejects a file without records, so writing one would only defer the error.
      throw new IllegalArgumentException("no labels to write to " + path);
    }
    write(path, IdxFormat.LABELS_MAGIC, new int[] {labels.length}, labels, compression, overwrite, conf);
  }

  private static void write(String path, int magic, int[] dims, byte[] data, Compression compression,
      boolean overwrite, Configuration conf) {
    if (compression == null) {
      throw new IllegalArgumentException("compression for " + path + " must not be null");
    }
    Path target = HadoopFileSystems.path(path);
    Path temp = null;
    FileSystem fs = null;
    try {
      fs = HadoopFileSystems.of(target, conf);
      checkTarget(fs, target, path, overwrite);
      Path dir = target.getParent();
      if (dir != null) {
        fs.mkdirs(dir);
      }
      // Same directory as the target, so the final rename stays inside one file system (and one bucket).
      temp = new Path(dir, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
      try (OutputStream out = open(fs, temp, compression)) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.putInt(magic);
        for (int d : dims) {
          header.putInt(d);
        }
        out.write(header.array());
        out.write(data);
      }
      // Checked again: another writer may have created the target while we were writing.
      if (checkTarget(fs, target, path, overwrite)) {
        fs.delete(target, false);
      }
      if (!fs.rename(temp, target)) {
        throw new DataFileException(path, "could not be created: renaming the temporary file " + temp
            + " to it failed");
      }
      temp = null;
    } catch (IOException e) {
      throw new DataFileException(path, "could not be written: " + e, e);
    } finally {
      if (temp != null) {
        deleteQuietly(fs, temp);
      }
    }
  }

  /** True when the target exists and may be replaced; throws when it exists and must not be. */
  private static boolean checkTarget(FileSystem fs, Path target, String path, boolean overwrite) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(target);
    } catch (java.io.FileNotFoundException e) {
      return false;
    }
    if (status.isDirectory()) {
      throw new DataFileException(path, "is a directory; expected a file path to write an IDX file to");
    }
    if (!overwrite) {
      throw new DataFileException(path, "already exists (" + status.getLen()
          + " bytes); refusing to overwrite it, expected a new path or overwrite = true");
    }
    return true;
  }

  private static OutputStream open(FileSystem fs, Path temp, Compression compression) throws IOException {
    OutputStream out = fs.create(temp, false, BUFFER);
    if (compression == Compression.RAW) {
      return out;
    }
    try {
      return new GZIPOutputStream(out, BUFFER);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static void deleteQuietly(FileSystem fs, Path temp) {
    try {
      fs.delete(temp, false);
    } catch (IOException | RuntimeException ignored) {
      // The original failure is the one worth reporting; a stray hidden ".tmp" file is harmless.
    }
  }
}
