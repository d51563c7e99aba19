package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  private static final int IMAGES = 0x00000803;
  private static final int LABELS = 0x00000801;

  @TempDir Path dir;

  // ---- well-formed files ----

  @Test
  void readsRawImagesWithTheirShapeAndPixels() {
    byte[] pixels = pixels(3 * 4 * 5);
    String path = write("images", idx(IMAGES, new int[] {3, 4, 5}, pixels));
    IdxImages images = IdxReader.readImages(path);
    assertEquals(new IdxImages(3, 4, 5, pixels), images);
    assertEquals(20, images.pixelsPerImage());
  }

  @Test
  void gzipContentIsDetectedInAFileNamedWithoutGz() {
    byte[] labels = {0, 1, 9, 3};
    String path = write("labels-idx1-ubyte", gzip(idx(LABELS, new int[] {4}, labels)));
    assertArrayEquals(labels, IdxReader.readLabels(path, 10));
  }

  @Test
  void rawContentIsReadFromAFileNamedGz() {
    byte[] labels = {5, 6, 7};
    String path = write("labels-idx1-ubyte.gz", idx(LABELS, new int[] {3}, labels));
    assertArrayEquals(labels, IdxReader.readLabels(path, 10));
  }

  @Test
  void fileUriIsReadLikeAPlainPath() {
    byte[] labels = {2, 2, 1};
    write("uri", idx(LABELS, new int[] {3}, labels));
    String uri = dir.resolve("uri").toUri().toString();
    assertTrue(uri.startsWith("file:"));
    assertArrayEquals(labels, IdxReader.readLabels(uri, 3));
  }

  // ---- the bad-input corpus: each names the file, what it found and what it expected ----

  @Test
  void truncatedImageFileIsRejectedWithItsLengthAndTheLengthItsHeaderNeeds() {
    byte[] full = idx(IMAGES, new int[] {2, 28, 28}, pixels(2 * 784));
    String path = write("truncated", Arrays.copyOf(full, 1000));
    assertRejected(path, () -> IdxReader.readImages(path), "truncated", "1000 bytes", "[2, 28, 28]", "needs 1584");
  }

  @Test
  void fileEndingInsideItsHeaderIsRejectedAsTruncated() {
    String path = write("short-header", Arrays.copyOf(idx(IMAGES, new int[] {2, 28, 28}, pixels(1568)), 9));
    assertRejected(path, () -> IdxReader.readImages(path), "ends after 9 bytes", "header");
  }

  @Test
  void truncatedGzipImageFileIsRejected() {
    byte[] gz = gzip(idx(IMAGES, new int[] {50, 28, 28}, pixels(50 * 784)));
    String path = write("truncated.gz", Arrays.copyOf(gz, gz.length / 2));
    assertRejected(path, () -> IdxReader.readImages(path), "gzip", "expected a complete gzip stream");
  }

  @Test
  void gzipOfTooFewDataBytesIsRejectedAsTruncated() {
    // A complete, valid gzip stream whose content stops short of what the IDX header announces.
    byte[] raw = idx(IMAGES, new int[] {2, 28, 28}, pixels(1568));
    String path = write("short-content.gz", gzip(Arrays.copyOf(raw, 1200)));
    assertRejected(path, () -> IdxReader.readImages(path), "truncated", "1184 of the 1568 data bytes");
  }

  @Test
  void trailingGarbageAfterRawDataIsRejected() {
    byte[] raw = idx(LABELS, new int[] {3}, new byte[] {1, 2, 3});
    String path = write("trailing", Arrays.copyOf(raw, raw.length + 5));
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "5 bytes of trailing garbage", "exactly 11");
  }

  @Test
  void trailingGarbageInsideGzipContentIsRejected() {
    byte[] raw = idx(LABELS, new int[] {3}, new byte[] {1, 2, 3});
    String path = write("trailing.gz", gzip(Arrays.copyOf(raw, raw.length + 1)));
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "trailing garbage", "expected the file to end");
  }

  @Test
  void labelsFileReadAsImagesIsRejectedNamingFoundAndExpectedMagic() {
    String path = write("labels-not-images", idx(LABELS, new int[] {3}, new byte[] {1, 2, 3}));
    assertRejected(path, () -> IdxReader.readImages(path), "found magic number 0x00000801", "expected 0x00000803");
  }

  @Test
  void textFileIsRejectedAsNotAnIdxFile() {
    String path = write("readme.txt", "hello, this is not IDX".getBytes());
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "not an IDX file", "expected 0x00000801");
  }

  @Test
  void label10IsRejectedForTenClasses() {
    String path = write("label10", idx(LABELS, new int[] {4}, new byte[] {0, 9, 10, 1}));
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "label 10 at index 2", "expected labels 0..9");
  }

  @Test
  void label255IsRejectedForTenClasses() {
    String path = write("label255", idx(LABELS, new int[] {2}, new byte[] {3, (byte) 255}));
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "label 255 at index 1", "expected labels 0..9");
  }

  @Test
  void zeroImagesAreRejected() {
    String path = write("empty", idx(IMAGES, new int[] {0, 28, 28}, new byte[0]));
    assertRejected(path, () -> IdxReader.readImages(path), "holds 0 images", "expected at least one");
  }

  @Test
  void zeroRowsAreRejected() {
    String path = write("no-rows", idx(IMAGES, new int[] {5, 0, 28}, new byte[0]));
    assertRejected(path, () -> IdxReader.readImages(path), "rows = 0", "expected a positive size");
  }

  @Test
  void imagesLargerThanAnyArrayAreRejectedFromTheHeaderAlone() {
    String path = write("huge-images", Arrays.copyOf(idx(IMAGES, new int[] {1 << 30, 28, 28}, new byte[0]), 100));
    assertRejected(path, () -> IdxReader.readImages(path), "[1073741824, 28, 28]", "largest Java array");
  }

  @Test
  void countOf2To30InA100ByteFileIsRejectedBeforeAllocatingIt() {
    String path = write("huge-labels", Arrays.copyOf(idx(LABELS, new int[] {1 << 30}, new byte[0]), 100));
    IdxReader.readLabels(write("warm-up", idx(LABELS, new int[] {1}, new byte[] {0})), 10);
    long before = allocatedBytes();
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "truncated", "has 100 bytes", "needs 1073741832");
    long allocated = allocatedBytes() - before;
    assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a header claiming 1 GiB");
  }

  @Test
  void gzipClaimingMoreThanGzipCanExpandToIsRejectedBeforeAllocatingIt() {
    String path = write("huge-labels.gz", gzip(idx(LABELS, new int[] {1 << 30}, pixels(100))));
    IdxReader.readLabels(write("warm-up", idx(LABELS, new int[] {1}, new byte[] {0})), 10);
    long before = allocatedBytes();
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "1073741832 uncompressed bytes", "at most");
    long allocated = allocatedBytes() - before;
    assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a header claiming 1 GiB");
  }

  @Test
  void corruptGzipIsRejected() {
    byte[] strokes = new byte[20 * 784];
    for (int i = 0; i < strokes.length; i += 3) {
      strokes[i] = (byte) (i % 251);
    }
    byte[] gz = gzip(idx(IMAGES, new int[] {20, 28, 28}, strokes));
    // Damage only the second half, as a bad disk block would: the header still decodes, the data does not.
    for (int i = gz.length / 2; i < gz.length - 8; i += 5) {
      gz[i] ^= (byte) 0x5A;
    }
    String path = write("corrupt.gz", gz);
    assertRejected(path, () -> IdxReader.readImages(path), "corrupt or truncated gzip");
  }

  @Test
  void missingFileIsRejected() {
    String path = dir.resolve("no-such-file").toString();
    assertRejected(path, () -> IdxReader.readImages(path), "does not exist", "expected an IDX file");
  }

  @Test
  void directoryIsRejected() {
    String path = dir.toString();
    assertRejected(path, () -> IdxReader.readLabels(path, 10), "is a directory");
  }

  @Test
  void emptyFileIsRejectedAsTruncated() {
    String path = write("zero-bytes", new byte[0]);
    assertRejected(path, () -> IdxReader.readImages(path), "ends after 0 bytes", "expected 0x00000803");
  }

  // ---- helpers ----

  static void assertRejected(String path, Executable call, String... fragments) {
    DataFileException e = assertThrows(DataFileException.class, call);
    String message = e.getMessage();
    assertEquals(path, e.file());
    assertTrue(message.startsWith(path + ": "), () -> "message does not name " + path + ": " + message);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), () -> "message lacks '" + fragment + "': " + message);
    }
  }

  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Pseudo-random but fixed bytes, so that gzip cannot squeeze them to nothing. */
  static byte[] pixels(int n) {
    byte[] p = new byte[n];
    long x = 0x243F6A8885A308D3L;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      p[i] = (byte) (x >>> 56);
    }
    return p;
  }

  private String write(String name, byte[] content) {
    Path file = dir.resolve(name);
    try {
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toString();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
