package io.sparknn.train;

/** What a model's output is compared with: the sample's class (classification) or the input itself (autoencoder). */
public enum Target {
  /** The class label, as an index (one-hot for criteria that need a matrix). */
  CLASSES,
  /** The (augmented) input row: reconstruction. */
  INPUT
}
