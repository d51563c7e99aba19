package io.sparknn.tensor;

/**
 * Derives independent, reproducible seeds from tuples such as (seed, epoch, partition).
 *
 * <p>Every random choice in sparknn (initialisation, shuffles, dropout masks, augmentation) draws from a
 * {@link java.util.SplittableRandom} seeded by {@link #mix}, so that a recomputed Spark task, a resumed run or
 * a replay in {@code LocalTrainer} sees exactly the same numbers. The mixing is SplitMix64's finaliser applied
 * to each component in turn: nearby tuples give unrelated seeds.
 */
public final class Seeds {
  private Seeds() {}

  /** A seed determined by all of {@code parts}, in order. */
  public static long mix(long... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (long p : parts) {
      h = finish(h ^ finish(p + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
