package io.sparknn.testkit;

import io.sparknn.data.Dataset;
import io.sparknn.data.GaussianBlobs;
import io.sparknn.data.MnistFiles;

/**
 * Small in-memory data sets for tests: the first digits of the MNIST copy sparknn embeds (found by
 * {@link MnistFiles#defaultDir()}: the system property {@value MnistFiles#DIR_PROPERTY}, else the environment
 * variable {@value MnistFiles#DIR_ENV}, else {@code data/mnist} under the working directory), read once per
 * JVM, and the homework's toy problem, two Gaussian blobs.
 */
public final class Datasets {
  private static Dataset[] mnist;

  private Datasets() {}

  /** The first {@code n} MNIST training digits, 784 features in [0, 1], 10 classes. */
  public static Dataset mnistTrain(int n) {
    return mnist()[0].slice(0, n);
  }

  /** The first {@code n} MNIST test digits. */
  public static Dataset mnistTest(int n) {
    return mnist()[1].slice(0, n);
  }

  /** {@code perClass} points around (2, 2) (class 1) and as many around (−2, −2) (class 0), interleaved. */
  public static Dataset blobs(int perClass, long seed) {
    return GaussianBlobs.generate(perClass, seed);
  }

  private static synchronized Dataset[] mnist() {
    if (mnist == null) {
      mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    }
    return mnist;
  }
}
