package io.sparknn.testing;

import io.sparknn.data.IdxImages;
import io.sparknn.data.IdxWriter;
import java.nio.file.Path;

/** Small IDX data sets in MNIST's four file names, for tests of jobs that read a data directory. */
public final class IdxFixtures {
  private IdxFixtures() {}

  /**
   * Writes {@code count} training and {@code count} test images into {@code dir}: one lit pixel each, labels
   * cycling through 0–9; training images are {@code trainSide}², test images {@code testSide}².
   */
  public static void write(Path dir, int trainSide, int testSide, int count) {
    write(dir, "train", trainSide, count);
    write(dir, "t10k", testSide, count);
  }

  private static void write(Path dir, String set, int side, int count) {
    byte[] pixels = new byte[count * side * side];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
      pixels[i * side * side + i % (side * side)] = (byte) 200;
    }
    IdxWriter.writeImages(dir.resolve(set + "-images-idx3-ubyte").toString(), new IdxImages(count, side, side, pixels),
        IdxWriter.Compression.RAW, false);
    IdxWriter.writeLabels(dir.resolve(set + "-labels-idx1-ubyte").toString(), labels, IdxWriter.Compression.RAW,
        false);
  }
}
