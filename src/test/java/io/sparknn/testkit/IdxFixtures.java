package io.sparknn.testkit;

import io.sparknn.data.Dataset;
import io.sparknn.data.IdxImages;
import io.sparknn.data.IdxWriter;
import java.nio.file.Path;

/**
 * Small IDX data sets under MNIST's four file names ({@code train-images-idx3-ubyte} and so on), for tests of
 * jobs and configs that read a data directory ({@code data.dir}).
 */
public final class IdxFixtures {
  private IdxFixtures() {}

  /**
   * Writes {@code count} training and {@code count} test images into {@code dir}: one lit pixel each, labels
   * cycling through 0–9; training images are {@code trainSide}², test images {@code testSide}².
   */
  public static void write(Path dir, int trainSide, int testSide, int count) {
    write(dir, "train", synthetic(trainSide, count), trainSide);
    write(dir, "t10k", synthetic(testSide, count), testSide);
  }

  /**
   * Writes {@code train} and {@code test} (square images with features in [0, 1], such as
   * {@link Datasets#mnistTrain}) into {@code dir}, pixels rounded to bytes.
   */
  public static void write(Path dir, Dataset train, Dataset test) {
    write(dir, "train", train, side(train));
    write(dir, "t10k", test, side(test));
  }

  private static Dataset synthetic(int side, int count) {
    byte[] pixels = new byte[count * side * side];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
      pixels[i * side * side + i % (side * side)] = (byte) 200;
    }
    return Dataset.ofBytes(pixels, labels, count, side * side, 10);
  }

  private static int side(Dataset d) {
    int side = (int) Math.round(Math.sqrt(d.cols()));
    if (side * side != d.cols()) {
      throw new IllegalArgumentException("IDX images are square; " + d.cols() + " features are not");
    }
    return side;
  }

  private static void write(Path dir, String set, Dataset d, int side) {
    byte[] pixels = new byte[d.rows() * d.cols()];
    byte[] labels = new byte[d.rows()];
    for (int i = 0; i < d.rows(); i++) {
      labels[i] = (byte) d.label(i);
      for (int j = 0; j < d.cols(); j++) {
        pixels[i * d.cols() + j] = (byte) Math.round(Math.min(1, Math.max(0, d.feature(i, j))) * 255);
      }
    }
    IdxWriter.writeImages(dir.resolve(set + "-images-idx3-ubyte").toString(),
        new IdxImages(d.rows(), side, side, pixels), IdxWriter.Compression.RAW, false);
    IdxWriter.writeLabels(dir.resolve(set + "-labels-idx1-ubyte").toString(), labels, IdxWriter.Compression.RAW,
        false);
  }
}
