package io.sparknn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
  private static final Table RESULTS = new Table(List.of("model", "epochs", "accuracy"))
      .add("mlp", 10, 0.97531)
      .add("cnn, small", 5, 0.5);

  @Test
  void markdownPadsColumnsAndPrintsDoublesWithFourDecimals() {
    assertEquals(""
        + "| model      | epochs | accuracy |\n"
        + "| ---------- | ------ | -------- |\n"
        + "| mlp        | 10     | 0.9753   |\n"
        + "| cnn, small | 5      | 0.5000   |\n",
        RESULTS.toMarkdown());
  }

  @Test
  void csvQuotesCommasQuotesAndNewlinesPerRfc4180() {
    Table t = new Table(List.of("name", "note")).add("a,b", "say \"hi\"").add("plain", "two\nlines").add(null, 1);
    assertEquals("name,note\r\n\"a,b\",\"say \"\"hi\"\"\"\r\nplain,\"two\nlines\"\r\n,1\r\n", t.toCsv());
  }

  @Test
  void csvKeepsDoublesAtFullPrecision() {
    assertEquals("model,epochs,accuracy\r\nmlp,10,0.97531\r\n\"cnn, small\",5,0.5\r\n", RESULTS.toCsv());
  }

  @Test
  void markdownEscapesPipesAndShowsTinyDoublesInScientificNotation() {
    Table t = new Table(List.of("a|b", "rate")).add("x|y", 1e-5).add("nan", Double.NaN);
    assertEquals(""
        + "| a\\|b | rate      |\n"
        + "| ---- | --------- |\n"
        + "| x\\|y | 1.000e-05 |\n"
        + "| nan  | NaN       |\n",
        t.toMarkdown());
  }

  @Test
  void addReturnsANewTableAndLeavesTheOriginalUnchanged() {
    Table empty = new Table(List.of("a"));
    Table one = empty.add(1);
    assertEquals(0, empty.rows());
    assertEquals(1, one.rows());
    assertEquals(List.of("a"), one.columns());
  }

  @Test
  void addRejectsARowOfTheWrongLengthNamingBothCounts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RESULTS.add("only", 2));
    assertTrue(e.getMessage().contains("2 values") && e.getMessage().contains("3 columns"), e.getMessage());
  }

  @Test
  void repeatedColumnNameIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Table(List.of("a", "a")));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }

  @Test
  void writeCreatesCsvAndMarkdownFilesWithTheRenderedText(@TempDir Path dir) throws IOException {
    RESULTS.write(dir.resolve("tables"), "results");
    assertEquals(RESULTS.toCsv(), Files.readString(dir.resolve("tables/results.csv")));
    assertEquals(RESULTS.toMarkdown(), Files.readString(dir.resolve("tables/results.md")));
  }
}
