package io.sparknn.data;

import java.util.SplittableRandom;

/**
 * The homework's toy problem: two 2-D Gaussian blobs of unit variance, {@code n} points of class 1 around (2, 2)
 * and {@code n} of class 0 around (−2, −2), as a labelled {@link Dataset} (points interleaved by class).
 */
public final class GaussianBlobs {
  private GaussianBlobs() {}

  public static Dataset generate(int perClass, long seed) {
    if (perClass <= 0) {
      throw new IllegalArgumentException("points per class must be positive, got " + perClass);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] xy = new float[4 * perClass];
    byte[] labels = new byte[2 * perClass];
    for (int i = 0; i < 2 * perClass; i++) {
      int cls = i % 2 == 0 ? 1 : 0;
      double centre = cls == 1 ? 2 : -2;
      xy[2 * i] = (float) (rng.nextGaussian() + centre);
      xy[2 * i + 1] = (float) (rng.nextGaussian() + centre);
      labels[i] = (byte) cls;
    }
    return Dataset.ofFloats(xy, labels, 2 * perClass, 2, 2);
  }
}
