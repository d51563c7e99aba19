package io.sparknn.train.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * One slice of a gradient sum in the sliced aggregation ({@link SlicedAggregation}): on the map side partition
 * {@code index}'s values of one slice, on the reduce side slice {@code index}'s values summed over every
 * partition. Loss, rows and running statistics travel with slice 0 only (zero and empty in the others).
 *
 * @param index the map partition (map side) or the slice (reduce side)
 * @param gradient the slice's gradient values, packed little-endian float64
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
record SliceRecord(int index, byte[] gradient, double lossSum, long rows, double[] stateSum) implements Serializable {
  /** First value of slice {@code s} of {@code slices} over {@code n} values (slice s is [start(s), start(s+1))). */
  static int start(int s, int slices, int n) {
    return (int) ((long) s * n / slices);
  }

  /**
   * The first byte of each of {@code slices} slices of {@code n} packed values of {@code valueBytes} bytes, and
   * the end: {@code slices + 1} offsets.
   */
  static int[] byteStarts(int slices, int n, int valueBytes) {
    int[] starts = new int[slices + 1];
    for (int s = 0; s <= slices; s++) {
      starts[s] = start(s, slices, n) * valueBytes;
    }
    return starts;
  }
}
