package io.sparknn.data;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What the driver learns about an IDX file before any executor reads it: its sizes, from the header alone, and
 * whether it is gzipped. An uncompressed file's length must match its header exactly (so the executors can seek
 * to any row); a gzip file is only checked not to claim more than gzip could expand to, and the executor that
 * reads its last row checks that nothing follows. Failures are {@link DataFileException}s naming the file.
 *
 * @param path the file, as given
 * @param magic {@code 0x00000803} (images) or {@code 0x00000801} (labels)
 * @param count images or labels in the file
 * @param rowBytes bytes per image ({@code rows·cols}), 1 for labels
 * @param gzip whether the file is gzipped
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records; parallelize ships these through it
public record IdxHeader(String path, int magic, int count, int rowBytes, boolean gzip) implements Serializable {

  /** The header of {@code path}, which must hold uint8 images. */
  public static IdxHeader images(String path, Configuration conf) {
    return read(path, IdxFormat.IMAGES_MAGIC, conf);
  }

  /** The header of {@code path}, which must hold uint8 labels. */
  public static IdxHeader labels(String path, Configuration conf) {
    return read(path, IdxFormat.LABELS_MAGIC, conf);
  }

  /** Bytes before the first value. */
  public long headerBytes() {
    return IdxFormat.headerBytes(magic);
  }

  private static IdxHeader read(String path, int magic, Configuration conf) {
    Path p = HadoopFileSystems.path(path);
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
      try (InputStream raw = new BufferedInputStream(fs.open(p))) {
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
          int[] dims = new int[IdxFormat.dimensions(magic)];
          byte[] head = in.readNBytes((int) IdxFormat.headerBytes(magic));
          if (head.length < 4) {
            throw new DataFileException(path, "ends after " + head.length + " bytes, inside the 4-byte magic"
                + " number; expected " + IdxFormat.describe(magic));
          }
          ByteBuffer b = ByteBuffer.wrap(head);
          int found = b.getInt();
          if (found != magic) {
            throw new DataFileException(path, "found magic number " + IdxFormat.describe(found) + "; expected "
                + IdxFormat.describe(magic));
          }
          if (head.length < IdxFormat.headerBytes(magic)) {
            throw new DataFileException(path, "ends after " + head.length + " bytes, inside its header; expected "
                + IdxFormat.headerBytes(magic) + " header bytes " + Arrays.toString(IdxFormat.dimensionNames(magic)));
          }
          for (int i = 0; i < dims.length; i++) {
            dims[i] = b.getInt();
          }
          long total = IdxFormat.headerBytes(magic) + IdxFormat.dataBytes(path, magic, dims);
          String header = "header " + Arrays.toString(dims);
          if (!gzip && status.getLen() != total) {
            throw new DataFileException(path, status.getLen() < total
                ? "is truncated: it has " + status.getLen() + " bytes but its " + header + " needs " + total
                : "has " + (status.getLen() - total) + " bytes of trailing garbage: it has " + status.getLen()
                    + " bytes but its " + header + " describes exactly " + total);
          }
          if (gzip && total > 1032L * status.getLen()) {
            throw new DataFileException(path, "is a gzip file of " + status.getLen() + " bytes whose " + header
                + " claims " + total + " uncompressed bytes; gzip expands at most 1032-fold");
          }
          int rowBytes = dims.length == 3 ? dims[1] * dims[2] : 1;
          return new IdxHeader(path, magic, dims[0], rowBytes, gzip);
        }
      }
    } catch (IOException e) {
      throw new DataFileException(path, "could not be read: " + e, e);
    }
  }
}
