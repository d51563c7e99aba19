package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  private static final int H = 28;
  private static final int W = 28;
  /** What a 0 pixel becomes after MNIST standardisation, (0 − 0.1307) / 0.3081. */
  private static final double BACKGROUND = -0.1307 / 0.3081;

  @Test
  void zeroShiftAndZeroDegreesLeavesEveryImageUnchanged() {
    Matrix batch = randomBatch(16, 1);
    double[] before = batch.data().clone();
    new Augmentation(H, W, 0, 0).apply(batch, 0, 16, new SplittableRandom(7), BACKGROUND);
    assertArrayEquals(before, batch.data());
  }

  @Test
  void onePixelShiftRightMovesASingleBrightPixelOneColumnRight() {
    Matrix batch = singlePixel(10, 12, 2.8);
    new Augmentation(H, W, 1, 0).transform(batch, 0, 1, 0, 0, BACKGROUND);
    assertArrayEquals(singlePixel(10, 13, 2.8).data(), batch.data());
  }

  @Test
  void onePixelShiftDownMovesASingleBrightPixelOneRowDown() {
    Matrix batch = singlePixel(10, 12, 2.8);
    new Augmentation(H, W, 1, 0).transform(batch, 0, 0, 1, 0, BACKGROUND);
    assertArrayEquals(singlePixel(11, 12, 2.8).data(), batch.data());
  }

  @Test
  void ninetyDegreesTurnsAPixelRightOfTheCentreToAboveIt() {
    // 5x5: the centre is pixel (2, 2), so (row 2, col 4) lies right of it and (row 0, col 2) above it.
    Matrix batch = new Matrix(1, 25).fill(0);
    batch.set(0, 2 * 5 + 4, 1);
    new Augmentation(5, 5, 0, 90).transform(batch, 0, 0, 0, 90, 0);
    assertEquals(1, batch.get(0, 0 * 5 + 2), 1e-12);
    assertEquals(1, Arrays.stream(batch.data()).sum(), 1e-12);
  }

  @Test
  void theSameSeedGivesIdenticalImagesAndAnotherSeedDifferentOnes() {
    Augmentation aug = new Augmentation(H, W, 2.5, 15);
    Matrix a = randomBatch(8, 3);
    Matrix b = randomBatch(8, 3);
    Matrix c = randomBatch(8, 3);
    aug.apply(a, 0, 8, new SplittableRandom(42), BACKGROUND);
    new Augmentation(H, W, 2.5, 15).apply(b, 0, 8, new SplittableRandom(42), BACKGROUND);
    aug.apply(c, 0, 8, new SplittableRandom(43), BACKGROUND);
    assertArrayEquals(a.data(), b.data());
    assertFalse(Arrays.equals(a.data(), c.data()));
  }

  @Test
  void eachImageConsumesTheSameDrawsWhetherDoneInOneCallOrRowByRow() {
    Augmentation aug = new Augmentation(H, W, 2, 10);
    Matrix whole = randomBatch(4, 5);
    Matrix pieces = randomBatch(4, 5);
    aug.apply(whole, 0, 4, new SplittableRandom(9), BACKGROUND);
    SplittableRandom rng = new SplittableRandom(9);
    for (int r = 0; r < 4; r++) {
      aug.apply(pieces, r, r + 1, rng, BACKGROUND);
    }
    assertArrayEquals(whole.data(), pieces.data());
  }

  @Test
  void valuesStayWithinTheInputRangeJoinedWithTheBackground() {
    Matrix batch = randomBatch(64, 11);
    double lo = Math.min(min(batch.data()), BACKGROUND);
    double hi = Math.max(max(batch.data()), BACKGROUND);
    new Augmentation(H, W, 3, 30).apply(batch, 0, 64, new SplittableRandom(1), BACKGROUND);
    assertTrue(min(batch.data()) >= lo, "min " + min(batch.data()) + " < " + lo);
    assertTrue(max(batch.data()) <= hi, "max " + max(batch.data()) + " > " + hi);
  }

  @Test
  void rowsOutsideTheRequestedRangeAreUntouched() {
    Matrix batch = randomBatch(6, 2);
    double[] before = batch.data().clone();
    new Augmentation(H, W, 3, 30).apply(batch, 2, 4, new SplittableRandom(5), BACKGROUND);
    assertArrayEquals(Arrays.copyOfRange(before, 0, 2 * H * W), Arrays.copyOfRange(batch.data(), 0, 2 * H * W));
    assertArrayEquals(Arrays.copyOfRange(before, 4 * H * W, 6 * H * W),
        Arrays.copyOfRange(batch.data(), 4 * H * W, 6 * H * W));
    assertFalse(Arrays.equals(Arrays.copyOfRange(before, 2 * H * W, 4 * H * W),
        Arrays.copyOfRange(batch.data(), 2 * H * W, 4 * H * W)));
  }

  @Test
  void applyAllocatesNothingAfterTheFirstCall() {
    Augmentation aug = new Augmentation(H, W, 2, 10);
    Matrix batch = randomBatch(32, 4);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      aug.apply(batch, 0, 32, rng, BACKGROUND);
    }
    long before = allocatedBytes();
    aug.apply(batch, 0, 32, rng, BACKGROUND);
    long allocated = allocatedBytes() - before;
    assertTrue(allocated < 1024, "one call allocated " + allocated + " bytes");
  }

  @Test
  void aDeserializedCopyAugmentsExactlyLikeTheOriginal() throws Exception {
    Augmentation aug = new Augmentation(H, W, 2, 12);
    Matrix a = randomBatch(3, 8);
    aug.apply(a, 0, 3, new SplittableRandom(2), BACKGROUND);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(aug);
    }
    Augmentation copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (Augmentation) in.readObject();
    }
    Matrix b = randomBatch(3, 8);
    copy.apply(b, 0, 3, new SplittableRandom(2), BACKGROUND);
    assertArrayEquals(a.data(), b.data());
  }

  @Test
  void batchWithTheWrongWidthIsRejected() {
    Augmentation aug = new Augmentation(H, W, 1, 5);
    assertThrows(IllegalArgumentException.class,
        () -> aug.apply(new Matrix(2, 100), 0, 2, new SplittableRandom(1), 0));
  }

  @Test
  void negativeShiftAndAnglesBeyond180AreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(H, W, -1, 5));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(H, W, 1, 181));
  }

  // ---- helpers ----

  /** Images of background with scattered scaled "ink", like standardised digits. */
  private static Matrix randomBatch(int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix m = new Matrix(rows, H * W);
    double[] d = m.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextDouble() < 0.2 ? (rng.nextDouble() - 0.1307) / 0.3081 : BACKGROUND;
    }
    return m;
  }

  private static Matrix singlePixel(int row, int col, double value) {
    Matrix m = new Matrix(1, H * W).fill(BACKGROUND);
    m.set(0, row * W + col, value);
    return m;
  }

  private static double min(double[] a) {
    return Arrays.stream(a).min().orElseThrow();
  }

  private static double max(double[] a) {
    return Arrays.stream(a).max().orElseThrow();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
