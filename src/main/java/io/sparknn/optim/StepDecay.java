package io.sparknn.optim;

/** Multiplies the rate by {@code factor} every {@code everyEpochs} epochs: {@code base · factor^⌊epoch/k⌋}. */
public record StepDecay(double factor, int everyEpochs) implements LearningRateSchedule {
  public StepDecay {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("step decay factor must be positive, got " + factor);
    }
    if (everyEpochs <= 0) {
      throw new IllegalArgumentException("step decay period must be >= 1 epoch, got " + everyEpochs);
    }
  }

  @Override
  public double rate(double base, int epoch, long iteration) {
    return base * Math.pow(factor, epoch / everyEpochs);
  }
}
