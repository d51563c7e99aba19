package io.sparknn.train.spark;

import org.apache.spark.Partitioner;

/** Sends slice {@code s} (the key) to reducer {@code s}. */
final class SlicePartitioner extends Partitioner {
  private final int slices;

  SlicePartitioner(int slices) {
    this.slices = slices;
  }

  @Override
  public int numPartitions() {
    return slices;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlicePartitioner p && p.slices == slices;
  }

  @Override
  public int hashCode() {
    return slices;
  }
}
