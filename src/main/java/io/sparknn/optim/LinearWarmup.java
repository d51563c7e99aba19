package io.sparknn.optim;

/**
 * Ramps the rate linearly from {@code 1/iterations} of its value to the full value over the first
 * {@code iterations} steps, then follows {@code after}: the large-batch rule of Goyal et al. that lets a
 * linearly scaled learning rate start without diverging.
 */
public record LinearWarmup(long iterations, LearningRateSchedule after) implements LearningRateSchedule {
  public LinearWarmup {
    if (iterations < 0) {
      throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + iterations);
    }
  }

  @Override
  public double rate(double base, int epoch, long iteration) {
    double r = after.rate(base, epoch, iteration);
    return iteration < iterations ? r * (iteration + 1) / iterations : r;
  }
}
