package io.sparknn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads uint8 IDX files (images {@code 0x00000803} [count, rows, cols], labels {@code 0x00000801} [count])
 * from any path Hadoop can open: {@code file:}, {@code hdfs:}, {@code s3a:} or a plain path (resolved
 * against {@code fs.defaultFS}). A file is gunzipped when its first two bytes are the gzip magic
 * {@code 1f 8b}, whatever its name. Everything the header claims is checked before the data array is
 * allocated — magic, positive sizes, a total that fits in an array, and for an uncompressed file an exact
 * match with its length (for a gzip file, a size gzip could actually expand to) — and afterwards the data
 * must be complete with nothing after it, and labels must lie in {@code [0, classes)}. (In a gzip file,
 * "after it" means in the uncompressed content: bytes following the last gzip member are skipped by
 * {@code java.util.zip} itself.) Every failure is a {@link DataFileException} naming the file, what was
 * found and what was expected.
 */
public final class IdxReader {
  private static final int BUFFER = 1 << 16;
  /**
   * Deflate cannot expand its input more than 1032-fold (zlib's documented limit), so a gzip file of
   * {@code n} bytes holds at most {@code 1032·n}; a header claiming more is corrupt, caught before allocating.
   */
  private static final long MAX_GZIP_EXPANSION = 1032;

  private IdxReader() {}

  /** The images in {@code path}, read with a default Hadoop {@link Configuration}. */
  public static IdxImages readImages(String path) {
    return readImages(path, new Configuration());
  }

  /** The images in {@code path}, using {@code conf} to reach its file system. */
  public static IdxImages readImages(String path, Configuration conf) {
    int[] dims = new int[3];
    byte[] pixels = read(path, conf, IdxFormat.IMAGES_MAGIC, dims);
    return new IdxImages(dims[0], dims[1], dims[2], pixels);
  }

  /** The labels in {@code path}, each checked to be in {@code [0, classes)}, with a default configuration. */
  public static byte[] readLabels(String path, int classes) {
    return readLabels(path, classes, new Configuration());
  }

  /** The labels in {@code path}, each checked to be in {@code [0, classes)}, using {@code conf}. */
  public static byte[] readLabels(String path, int classes, Configuration conf) {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("uint8 labels allow 1 to 256 classes, got " + classes);
    }
    byte[] labels = read(path, conf, IdxFormat.LABELS_MAGIC, new int[1]);
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i] & 0xFF;
      if (label >= classes) {
        throw new DataFileException(path, "label " + label + " at index " + i + " is out of range; expected labels 0.."
            + (classes - 1) + " for " + classes + " classes");
      }
    }
    return labels;
  }

  private static byte[] read(String path, Configuration conf, int magic, int[] dims) {
    Path p = HadoopFileSystems.path(path);
    boolean gzip = false;
    try {
      FileSystem fs = HadoopFileSystems.of(p, conf);
      FileStatus status;
      try {
        status = fs.getFileStatus(p);
      } catch (FileNotFoundException e) {
        throw new DataFileException(path, "does not exist; expected an IDX file there", e);
      }
      if (status.isDirectory()) {
        throw new DataFileException(path, "is a directory; expected an IDX file");
      }
      // The file system (a cached, shared instance) stays open; only the stream is ours to close.
      try (InputStream buffered = new BufferedInputStream(fs.open(p), BUFFER)) {
        gzip = startsWithGzipMagic(buffered);
        if (!gzip) {
          return readBody(path, buffered, status.getLen(), false, magic, dims);
        }
        // Closed explicitly: the inflater holds native memory that would otherwise wait for a GC.
        try (InputStream in = new GZIPInputStream(buffered, BUFFER)) {
          return readBody(path, in, status.getLen(), true, magic, dims);
        }
      }
    } catch (ZipException | EOFException e) {
      if (!gzip) {
        throw new DataFileException(path, "could not be read: " + e, e);
      }
      throw new DataFileException(path, "is corrupt or truncated gzip data (" + e.getMessage()
          + "); expected a complete gzip stream", e);
    } catch (IOException e) {
      throw new DataFileException(path, "could not be read: " + e, e);
    }
  }

  private static boolean startsWithGzipMagic(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  private static byte[] readBody(String path, InputStream in, long fileLength, boolean gzip, int magic, int[] dims)
      throws IOException {
    String where = gzip ? " of uncompressed data" : "";
    byte[] head = new byte[4];
    int got = readFully(in, head, 0, 4);
    if (got < 4) {
      throw new DataFileException(path, "ends after " + got + " bytes" + where
          + ", inside the 4-byte magic number; expected " + IdxFormat.describe(magic));
    }
    int found = ByteBuffer.wrap(head).getInt();
    if (found != magic) {
      throw new DataFileException(path, "found magic number " + IdxFormat.describe(found) + "; expected "
          + IdxFormat.describe(magic));
    }
    byte[] dimBytes = new byte[4 * dims.length];
    got = readFully(in, dimBytes, 0, dimBytes.length);
    if (got < dimBytes.length) {
      throw new DataFileException(path, "ends after " + (4 + got) + " bytes" + where + ", inside its header; expected "
          + IdxFormat.headerBytes(magic) + " header bytes " + Arrays.toString(IdxFormat.dimensionNames(magic)));
    }
    ByteBuffer dimBuffer = ByteBuffer.wrap(dimBytes);
    for (int i = 0; i < dims.length; i++) {
      dims[i] = dimBuffer.getInt();
    }
    long dataBytes = IdxFormat.dataBytes(path, magic, dims);
    long total = IdxFormat.headerBytes(magic) + dataBytes;
    String header = "header " + Arrays.toString(dims);
    if (!gzip && fileLength < total) {
      throw new DataFileException(path, "is truncated: it has " + fileLength + " bytes but its " + header
          + " needs " + total);
    }
    if (!gzip && fileLength > total) {
      throw new DataFileException(path, "has " + (fileLength - total) + " bytes of trailing garbage: it has "
          + fileLength + " bytes but its " + header + " describes exactly " + total);
    }
    if (gzip && total > MAX_GZIP_EXPANSION * fileLength) {
      throw new DataFileException(path, "is a gzip file of " + fileLength + " bytes whose " + header + " claims "
          + total + " uncompressed bytes; gzip expands at most " + MAX_GZIP_EXPANSION + "-fold, so expected at most "
          + MAX_GZIP_EXPANSION * fileLength);
    }
    byte[] data = new byte[(int) dataBytes];
    got = readFully(in, data, 0, data.length);
    if (got < data.length) {
      throw new DataFileException(path, "is truncated: it ends after " + got + " of the " + dataBytes
          + " data bytes" + where + " that its " + header + " announces");
    }
    if (in.read() != -1) {
      throw new DataFileException(path, "has trailing garbage" + where + " after the " + total
          + " bytes that its " + header + " describes; expected the file to end there");
    }
    return data;
  }

  /** Reads up to {@code len} bytes, stopping only at end of stream; returns how many arrived. */
  private static int readFully(InputStream in, byte[] buffer, int offset, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(buffer, offset + done, len - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }
}
