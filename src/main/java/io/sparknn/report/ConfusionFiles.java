package io.sparknn.report;

import java.nio.file.Path;

/**
 * A confusion matrix as a run leaves it: {@code confusion.csv} (rows: true class, columns: predicted; the
 * header row names the predicted classes) for programs and {@code confusion.png} for people.
 */
public final class ConfusionFiles {
  private ConfusionFiles() {}

  /** Writes {@code counts[t][p]} as {@code confusion.csv} and {@code confusion.png} into {@code dir}. */
  public static void write(Path dir, long[][] counts) {
    String[] names = new String[counts.length];
    StringBuilder csv = new StringBuilder("true\\predicted");
    for (int i = 0; i < counts.length; i++) {
      names[i] = Integer.toString(i);
      csv.append(',').append(i);
    }
    csv.append('\n');
    for (int i = 0; i < counts.length; i++) {
      csv.append(i);
      for (long v : counts[i]) {
        csv.append(',').append(v);
      }
      csv.append('\n');
    }
    AtomicFiles.writeString(dir.resolve("confusion.csv"), csv.toString());
    Charts.confusion(dir.resolve("confusion.png"), "Test confusion matrix", counts, names);
  }
}
