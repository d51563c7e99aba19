package com.example.swish;

import io.sparknn.nn.Pointwise;

/**
 * Swish, {@code y = x · σ(beta · x)} (Ramachandran et al. 2017): a smooth, non-monotonic activation with
 * derivative {@code σ(βx) + βx · σ(βx)(1 − σ(βx))}. Configs name it {@code {type: Swish, beta: 1.5}} once
 * {@link SwishType} is registered.
 */
public final class Swish extends Pointwise {
  private final double beta;

  public Swish(double beta) {
    if (!Double.isFinite(beta)) {
      throw new IllegalArgumentException("Swish beta must be finite, got " + beta);
    }
    this.beta = beta;
  }

  public double beta() {
    return beta;
  }

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = v / (1 + Math.exp(-beta * v));
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      double s = 1 / (1 + Math.exp(-beta * v));
      gi[o + i] = g[go + i] * (s + beta * v * s * (1 - s));
    }
  }

  @Override
  public String toString() {
    return "Swish " + beta;
  }
}
