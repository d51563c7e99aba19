package io.sparknn.optim;

/** Multiplies the rate by {@code gamma} every epoch: {@code base · gamma^epoch}. */
public record ExponentialDecay(double gamma) implements LearningRateSchedule {
  public ExponentialDecay {
    if (!(gamma > 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("exponential decay gamma must be positive, got " + gamma);
    }
  }

  @Override
  public double rate(double base, int epoch, long iteration) {
    return base * Math.pow(gamma, epoch);
  }
}
