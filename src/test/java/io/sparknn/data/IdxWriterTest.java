package io.sparknn.data;

import static io.sparknn.data.IdxReaderTest.assertRejected;
import static io.sparknn.data.IdxReaderTest.pixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparknn.data.IdxWriter.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxWriterTest {
  @TempDir Path dir;

  private final IdxImages images = new IdxImages(7, 6, 5, pixels(7 * 6 * 5));
  private final byte[] labels = {0, 1, 2, 3, 4, 5, 9};

  @Test
  void rawRoundTripGivesBackTheSameImagesAndLabels() {
    String imagesPath = path("images-idx3-ubyte");
    String labelsPath = path("labels-idx1-ubyte");
    IdxWriter.writeImages(imagesPath, images, Compression.RAW, false);
    IdxWriter.writeLabels(labelsPath, labels, Compression.RAW, false);
    assertEquals(images, IdxReader.readImages(imagesPath));
    assertArrayEquals(labels, IdxReader.readLabels(labelsPath, 10));
  }

  @Test
  void gzipRoundTripGivesBackTheSameImagesAndLabels() {
    String imagesPath = path("images-idx3-ubyte.gz");
    String labelsPath = path("labels-idx1-ubyte.gz");
    IdxWriter.writeImages(imagesPath, images, Compression.GZIP, false);
    IdxWriter.writeLabels(labelsPath, labels, Compression.GZIP, false);
    assertEquals(images, IdxReader.readImages(imagesPath));
    assertArrayEquals(labels, IdxReader.readLabels(labelsPath, 10));
  }

  @Test
  void rawFileIsExactlyTheIdxHeaderFollowedByThePixels() throws IOException {
    String imagesPath = path("raw");
    IdxWriter.writeImages(imagesPath, images, Compression.RAW, false);
    byte[] expected = IdxReaderTest.idx(0x00000803, new int[] {7, 6, 5}, images.pixels());
    assertArrayEquals(expected, Files.readAllBytes(dir.resolve("raw")));
  }

  @Test
  void gzipFileStartsWithTheGzipMagicWhateverItsName() throws IOException {
    IdxWriter.writeLabels(path("no-suffix"), labels, Compression.GZIP, false);
    byte[] written = Files.readAllBytes(dir.resolve("no-suffix"));
    assertEquals(0x1f, written[0] & 0xFF);
    assertEquals(0x8b, written[1] & 0xFF);
  }

  @Test
  void writerRefusesToOverwriteAndLeavesTheExistingFileByteIdentical() throws IOException {
    String labelsPath = path("labels");
    IdxWriter.writeLabels(labelsPath, labels, Compression.RAW, false);
    byte[] before = Files.readAllBytes(dir.resolve("labels"));
    assertRejected(labelsPath, () -> IdxWriter.writeLabels(labelsPath, new byte[] {1}, Compression.GZIP, false),
        "already exists", "refusing to overwrite");
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("labels")));
    assertEquals(List.of("labels"), listing());
  }

  @Test
  void writerReplacesAnExistingFileWhenAskedTo() {
    String labelsPath = path("labels");
    IdxWriter.writeLabels(labelsPath, labels, Compression.RAW, false);
    IdxWriter.writeLabels(labelsPath, new byte[] {8, 8}, Compression.GZIP, true);
    assertArrayEquals(new byte[] {8, 8}, IdxReader.readLabels(labelsPath, 10));
  }

  @Test
  void writerLeavesOnlyTheTargetBehindWithNoTemporaryOrChecksumFiles() throws IOException {
    IdxWriter.writeImages(path("images"), images, Compression.GZIP, false);
    IdxWriter.writeImages(path("images"), images, Compression.RAW, true);
    assertEquals(List.of("images"), listing());
  }

  @Test
  void writerCreatesMissingParentDirectoriesThroughAFileUri() {
    String uri = dir.resolve("a").resolve("b").resolve("labels.gz").toUri().toString();
    IdxWriter.writeLabels(uri, labels, Compression.GZIP, false);
    assertArrayEquals(labels, IdxReader.readLabels(uri, 10));
  }

  @Test
  void writerRefusesAnEmptyLabelArray() {
    assertThrows(IllegalArgumentException.class,
        () -> IdxWriter.writeLabels(path("none"), new byte[0], Compression.RAW, false));
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
