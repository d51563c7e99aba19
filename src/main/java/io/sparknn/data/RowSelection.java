package io.sparknn.data;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows one partition holds, as global row indices of its source (a file or a table in the order Spark reads
 * it): the rows of {@code [from, to)} that are ({@code keepListed}) or are not ({@code !keepListed}) in
 * {@code listed} (ascending, within the range). The driver computes one per partition from counts alone; the
 * executors read exactly these rows. A training partition is a range minus the validation rows in it, a
 * validation partition a run of listed rows, a test partition a plain range.
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records; parallelize ships these through it
public record RowSelection(long from, long to, int[] listed, boolean keepListed) implements Serializable {

  /** Receives a run of consecutive selected rows: the first global index, the count, the block row it goes to. */
  public interface RunConsumer {
    void accept(long first, int length, int at) throws IOException;
  }

  /** Rows this partition holds. */
  public int count() {
    return (int) (keepListed ? listed.length : to - from - listed.length);
  }

  /** Whether global row {@code g} is one of this partition's. */
  public boolean contains(long g) {
    if (g < from || g >= to) {
      return false;
    }
    boolean isListed = g <= Integer.MAX_VALUE && Arrays.binarySearch(listed, (int) g) >= 0;
    return isListed == keepListed;
  }

  /** Calls {@code runs} for each maximal run of consecutive selected rows, in ascending order. */
  public void forEachRun(RunConsumer runs) throws IOException {
    int at = 0;
    if (keepListed) {
      for (int i = 0; i < listed.length;) {
        int j = i + 1;
        while (j < listed.length && listed[j] == listed[j - 1] + 1) {
          j++;
        }
        runs.accept(listed[i], j - i, at);
        at += j - i;
        i = j;
      }
      return;
    }
    long g = from;
    for (int skip : listed) {
      if (skip > g) {
        runs.accept(g, (int) (skip - g), at);
        at += (int) (skip - g);
      }
      g = skip + 1L;
    }
    if (to > g) {
      runs.accept(g, (int) (to - g), at);
    }
  }

  /** {@code n} rows cut into {@code partitions} contiguous ranges of nearly equal size. */
  public static List<RowSelection> ranges(long n, int partitions) {
    return without(n, new int[0], partitions);
  }

  /**
   * The rows of {@code [0, n)} that are not in {@code held} (ascending), cut into {@code partitions} contiguous
   * runs of nearly equal size, in order: the cut the driver made of the training rows left after the split.
   */
  public static List<RowSelection> without(long n, int[] held, int partitions) {
    long kept = n - held.length;
    check(kept, partitions);
    long[] cuts = new long[partitions + 1];
    for (int p = 0; p <= partitions; p++) {
      cuts[p] = p * kept / partitions;
    }
    return without(n, held, cuts);
  }

  /**
   * As {@link #without(long, int[], int)}, partition {@code p} taking the rows not in {@code held} from the
   * {@code cuts[p]}-th to before the {@code cuts[p+1]}-th ({@code cuts[0] = 0}, the last the count of such rows):
   * the cut {@link ShardPlan#rowCuts} makes for fixed row shards.
   */
  public static List<RowSelection> without(long n, int[] held, long[] cuts) {
    int partitions = cuts.length - 1;
    long kept = n - held.length;
    check(kept, partitions);
    if (cuts[0] != 0 || cuts[partitions] != kept) {
      throw new IllegalArgumentException("cuts from " + cuts[0] + " to " + cuts[partitions] + " for " + kept
          + " rows; expected 0 to " + kept);
    }
    List<RowSelection> parts = new ArrayList<>(partitions);
    int h = 0;
    long g = 0;
    for (int p = 0; p < partitions; p++) {
      long size = cuts[p + 1] - cuts[p];
      while (h < held.length && held[h] == g) {
        h++;
        g++;
      }
      long from = g;
      int firstHeld = h;
      long taken = 0;
      while (taken < size) {
        if (h < held.length && held[h] == g) {
          h++;
        } else {
          taken++;
        }
        g++;
      }
      parts.add(new RowSelection(from, g, Arrays.copyOfRange(held, firstHeld, h), false));
    }
    return parts;
  }

  /** The rows {@code listed} (ascending) cut into {@code partitions} runs of nearly equal size, in order. */
  public static List<RowSelection> of(int[] listed, int partitions) {
    check(listed.length, partitions);
    List<RowSelection> parts = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      int a = (int) ((long) p * listed.length / partitions);
      int b = (int) ((long) (p + 1) * listed.length / partitions);
      parts.add(new RowSelection(listed[a], listed[b - 1] + 1L, Arrays.copyOfRange(listed, a, b), true));
    }
    return parts;
  }

  private static void check(long rows, int partitions) {
    if (partitions <= 0 || partitions > rows) {
      throw new IllegalArgumentException(partitions + " partitions for " + rows + " rows; expected 1 to " + rows);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowSelection s && from == s.from && to == s.to && keepListed == s.keepListed
        && Arrays.equals(listed, s.listed);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(from) * 31 + Arrays.hashCode(listed);
  }

  @Override
  public String toString() {
    return "rows [" + from + ", " + to + ")" + (listed.length == 0 ? "" : (keepListed ? " only " : " without ")
        + listed.length + " listed");
  }
}
