package io.sparknn.data;

import io.sparknn.tensor.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded random choice of a run's validation rows among the first {@code n} rows of its training data,
 * as sorted global row indices. The rows themselves stay where they are (on the executors, or in the driver's
 * {@link Dataset} for the experiments): only these indices travel, and each partition keeps or drops its rows by
 * their global index. The choice is a Fisher–Yates shuffle of {@code 0..n−1} whose first {@code count}
 * entries are taken, the rule the driver-side split always used, so runs of earlier versions keep their split
 * and their weights. It holds one int per row while it shuffles (4 bytes a row, never the row).
 */
public final class ValidationSplit {
  private ValidationSplit() {}

  /** {@code count} distinct indices in {@code [0, n)}, ascending, chosen by {@code seed}. */
  public static int[] choose(int n, int count, long seed) {
    if (count < 0 || count > n) {
      throw new IllegalArgumentException("cannot hold out " + count + " of " + n + " rows");
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x5917));
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] chosen = Arrays.copyOf(order, count);
    Arrays.sort(chosen);
    return chosen;
  }
}
