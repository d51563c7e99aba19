package io.sparknn.data;

import static io.sparknn.data.IdxReaderTest.assertRejected;
import static io.sparknn.data.IdxReaderTest.pixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparknn.data.IdxWriter.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {
  private static final Path MNIST = Paths.get("data", "mnist");
  private static final Pattern SUM_LINE = Pattern.compile("^\\s*([0-9a-f]{64})\\s+\\*?(\\S+)\\s*$", Pattern.MULTILINE);

  private static Dataset train;
  private static Dataset test;

  @TempDir Path dir;

  @BeforeAll
  static void loadEmbeddedMnist() {
    Dataset[] both = MnistFiles.trainAndTest(MNIST.toString());
    train = both[0];
    test = both[1];
  }

  // ---- the embedded real data ----

  @Test
  void everyEmbeddedFileMatchesItsSha256InSha256Sums() throws Exception {
    Map<String, String> sums = sums(Files.readString(MNIST.resolve("SHA256SUMS")));
    assertEquals(4, sums.size(), "SHA256SUMS should list the four files: " + sums);
    for (Map.Entry<String, String> e : sums.entrySet()) {
      try (InputStream in = Files.newInputStream(MNIST.resolve(e.getKey()))) {
        assertEquals(e.getValue(), sha256(in), e.getKey());
      }
    }
  }

  @Test
  void everyEmbeddedFileDecompressesToTheUncompressedSha256InTheReadme() throws Exception {
    Map<String, String> sums = sums(Files.readString(MNIST.resolve("README.md")));
    assertEquals(4, sums.size(), "README.md should list four uncompressed sums: " + sums);
    for (Map.Entry<String, String> e : sums.entrySet()) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(MNIST.resolve(e.getKey() + ".gz")), 1 << 16)) {
        assertEquals(e.getValue(), sha256(in), e.getKey());
      }
    }
  }

  @Test
  void embeddedMnistHas60000TrainingAnd10000TestImagesOf28By28() {
    assertEquals(60000, train.rows());
    assertEquals(10000, test.rows());
    assertEquals(28 * 28, train.cols());
    assertEquals(28 * 28, test.cols());
    assertEquals(10, train.classes());
  }

  @Test
  void trainingLabelCountsPerDigitMatchThePublishedFigures() {
    assertArrayEquals(new long[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.classCounts());
  }

  @Test
  void testLabelCountsPerDigitMatchThePublishedFigures() {
    assertArrayEquals(new long[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
  }

  @Test
  void trainingPixelMeanIs0point1307() {
    assertEquals(0.1307, train.meanAndStd()[0], 1e-4);
  }

  @Test
  void loadedPixelsAreScaledIntoZeroToOneWithBothEndsPresent() {
    double min = 1;
    double max = 0;
    for (int c = 0; c < train.cols(); c++) {
      for (int r = 0; r < 100; r++) {
        min = Math.min(min, train.feature(r, c));
        max = Math.max(max, train.feature(r, c));
      }
    }
    assertEquals(0.0, min);
    assertEquals(1.0, max);
  }

  // ---- loading rules ----

  @Test
  void imageAndLabelCountMismatchNamesBothFilesAndBothCounts() {
    String images = dir.resolve("images").toString();
    String labels = dir.resolve("labels").toString();
    IdxWriter.writeImages(images, new IdxImages(3, 2, 2, pixels(12)), Compression.RAW, false);
    IdxWriter.writeLabels(labels, new byte[] {1, 2}, Compression.GZIP, false);
    assertRejected(images, () -> MnistFiles.load(images, labels, 10), "holds 3 images", labels + " holds 2 labels",
        "expected one label per image");
  }

  @Test
  void loadGivesOneRowPerImageWithItsLabel() {
    String images = dir.resolve("images").toString();
    String labels = dir.resolve("labels").toString();
    IdxImages written = new IdxImages(3, 2, 2, pixels(12));
    IdxWriter.writeImages(images, written, Compression.GZIP, false);
    IdxWriter.writeLabels(labels, new byte[] {4, 0, 2}, Compression.RAW, false);
    Dataset d = MnistFiles.load(images, labels, 5);
    assertEquals(Dataset.ofBytes(written.pixels(), new byte[] {4, 0, 2}, 3, 4, 5), d);
  }

  @Test
  void missingFileInADirectoryIsReportedWithBothNamesLookedFor() {
    writeSplit("train", 2, Compression.GZIP);
    String d = dir.toString();
    assertRejected(d, () -> MnistFiles.trainAndTest(d), "has no test images", "t10k-images-idx3-ubyte and ",
        "t10k-images-idx3-ubyte.gz");
  }

  @Test
  void uncompressedFilesArePreferredWhenBothSpellingsExist() {
    writeSplit("train", 2, Compression.RAW);
    writeSplit("t10k", 4, Compression.RAW);
    writeSplit("train", 3, Compression.GZIP);
    writeSplit("t10k", 5, Compression.GZIP);
    Dataset[] both = MnistFiles.trainAndTest(dir.toString());
    assertEquals(2, both[0].rows());
    assertEquals(4, both[1].rows());
  }

  @Test
  void gzipOnlyDirectoryLoadsBothSplits() {
    writeSplit("train", 3, Compression.GZIP);
    writeSplit("t10k", 5, Compression.GZIP);
    Dataset[] both = MnistFiles.trainAndTest(dir.toUri().toString());
    assertEquals(3, both[0].rows());
    assertEquals(5, both[1].rows());
  }

  @Test
  void defaultDirIsTheEmbeddedDataUnderTheWorkingDirectory() {
    assumeTrue(System.getProperty(MnistFiles.DIR_PROPERTY) == null && System.getenv(MnistFiles.DIR_ENV) == null);
    assertEquals(MNIST.toAbsolutePath().toUri(), Paths.get(java.net.URI.create(MnistFiles.defaultDir())).toUri());
  }

  @Test
  void defaultDirFollowsTheSystemPropertyOverride() {
    String old = System.getProperty(MnistFiles.DIR_PROPERTY);
    System.setProperty(MnistFiles.DIR_PROPERTY, "hdfs://namenode/data/mnist");
    try {
      assertEquals("hdfs://namenode/data/mnist", MnistFiles.defaultDir());
    } finally {
      if (old == null) {
        System.clearProperty(MnistFiles.DIR_PROPERTY);
      } else {
        System.setProperty(MnistFiles.DIR_PROPERTY, old);
      }
    }
  }

  // ---- helpers ----

  private void writeSplit(String prefix, int count, Compression compression) {
    String suffix = compression == Compression.GZIP ? ".gz" : "";
    byte[] labels = new byte[count];
    IdxWriter.writeImages(dir.resolve(prefix + "-images-idx3-ubyte" + suffix).toString(),
        new IdxImages(count, 28, 28, pixels(count * 784)), compression, false);
    IdxWriter.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix).toString(), labels, compression, false);
  }

  private static Map<String, String> sums(String text) {
    Map<String, String> sums = new LinkedHashMap<>();
    Matcher m = SUM_LINE.matcher(text);
    while (m.find()) {
      sums.put(m.group(2), m.group(1));
    }
    return sums;
  }

  private static String sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
