package io.sparknn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RowSelectionTest {
  /** The global rows of {@code s}, in order, as its runs give them. */
  private static long[] rows(RowSelection s) throws IOException {
    List<Long> out = new ArrayList<>();
    s.forEachRun((first, length, at) -> {
      assertEquals(out.size(), at, "runs fill the block in order");
      for (int i = 0; i < length; i++) {
        out.add(first + i);
      }
    });
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void trainingPartitionsAreTheDriversContiguousCutOfTheRowsLeftAfterTheSplit() throws IOException {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(300);
      int held = rng.nextInt(n);
      int partitions = 1 + rng.nextInt(Math.min(n - held, 9));
      int[] validation = ValidationSplit.choose(n, held, trial);
      int[] kept = IntStream.range(0, n).filter(i -> java.util.Arrays.binarySearch(validation, i) < 0).toArray();
      List<RowSelection> parts = RowSelection.without(n, validation, partitions);
      for (int p = 0; p < partitions; p++) {
        int from = (int) ((long) p * kept.length / partitions);
        int to = (int) ((long) (p + 1) * kept.length / partitions);
        long[] expected = IntStream.range(from, to).mapToLong(i -> kept[i]).toArray();
        assertArrayEquals(expected, rows(parts.get(p)), "n " + n + " held " + held + " partition " + p);
        assertEquals(expected.length, parts.get(p).count());
        for (long g : expected) {
          assertTrue(parts.get(p).contains(g));
        }
      }
      if (held > 0) {
        List<RowSelection> val = RowSelection.of(validation, Math.min(partitions, held));
        long[] all = val.stream().flatMapToLong(s -> {
          try {
            return java.util.Arrays.stream(rows(s));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }).toArray();
        assertArrayEquals(IntStream.of(validation).asLongStream().toArray(), all);
      }
    }
  }

  @Test
  void theValidationChoiceIsTheSeededShuffleOfAllRows() {
    int[] a = ValidationSplit.choose(1000, 100, 42);
    assertArrayEquals(a, ValidationSplit.choose(1000, 100, 42));
    assertEquals(100, IntStream.of(a).distinct().count());
    assertTrue(IntStream.of(a).allMatch(i -> i >= 0 && i < 1000));
    assertTrue(!java.util.Arrays.equals(a, ValidationSplit.choose(1000, 100, 43)), "another seed, other rows");
  }
}
