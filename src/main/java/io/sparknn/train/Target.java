package io.sparknn.train;

/**
 * What a model's output is compared with: the sample's class (classification), the input itself (autoencoder) or
 * the sample's real-valued targets (regression).
 */
public enum Target {
  /** The class label, as an index (one-hot for criteria that need a matrix). */
  CLASSES,
  /** The (augmented) input row: reconstruction. */
  INPUT,
  /** The row's real-valued targets ({@code Dataset.gatherTargets}), as wide as the output. */
  VALUES
}
