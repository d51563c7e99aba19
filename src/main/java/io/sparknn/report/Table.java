package io.sparknn.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A small immutable table of named columns and rows of values, for results that end up in a report.
 * {@link #add} returns a new table with one more row, so a table can be shared while it grows. It renders
 * as GitHub markdown for people — numbers at a fixed four decimals, columns padded to line up — and as
 * RFC 4180 CSV for programs, where doubles keep their full precision. A {@code null} cell renders empty.
 */
public final class Table {
  private final List<String> columns;
  private final List<List<Object>> rows;

  /** An empty table with these column names (at least one, none blank, no repeats). */
  public Table(List<String> columns) {
    this(validated(columns), List.of());
  }

  private Table(List<String> columns, List<List<Object>> rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /** This table plus one row; {@code values} must have exactly one value per column. */
  public Table add(Object... values) {
    if (values == null) {
      // A bare `add(null)` arrives as a null array; treat it as one null cell so arity is checked as usual.
      values = new Object[] {null};
    }
    if (values.length != columns.size()) {
      throw new IllegalArgumentException("row has " + values.length + " values but the table has "
          + columns.size() + " columns " + columns);
    }
    List<List<Object>> grown = new ArrayList<>(rows.size() + 1);
    grown.addAll(rows);
    // Arrays.asList over a copy: keeps nulls (List.of would not) and cannot be changed by the caller.
    grown.add(Collections.unmodifiableList(Arrays.asList(values.clone())));
    return new Table(columns, Collections.unmodifiableList(grown));
  }

  public int rows() {
    return rows.size();
  }

  public List<String> columns() {
    return columns;
  }

  /** GitHub-flavoured markdown: header, separator, one line per row, each line ending in a newline. */
  public String toMarkdown() {
    List<List<String>> cells = new ArrayList<>();
    cells.add(columns.stream().map(Table::markdownEscape).toList());
    for (List<Object> row : rows) {
      cells.add(row.stream().map(v -> markdownEscape(humanText(v))).toList());
    }
    int[] widths = new int[columns.size()];
    for (List<String> line : cells) {
      for (int c = 0; c < widths.length; c++) {
        // Three dashes is the shortest separator markdown accepts, so no column is narrower.
        widths[c] = Math.max(Math.max(widths[c], 3), line.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendMarkdownLine(out, cells.get(0), widths);
    List<String> separator = new ArrayList<>();
    for (int width : widths) {
      separator.add("-".repeat(width));
    }
    appendMarkdownLine(out, separator, widths);
    for (List<String> line : cells.subList(1, cells.size())) {
      appendMarkdownLine(out, line, widths);
    }
    return out.toString();
  }

  /** RFC 4180 CSV: a header record, then one record per row, each ending in CRLF. */
  public String toCsv() {
    StringBuilder out = new StringBuilder();
    appendCsvRecord(out, new ArrayList<>(columns));
    for (List<Object> row : rows) {
      appendCsvRecord(out, row);
    }
    return out.toString();
  }

  /** Writes {@code baseName.csv} and {@code baseName.md} into {@code dir}, each atomically. */
  public void write(Path dir, String baseName) {
    if (dir == null) {
      throw new IllegalArgumentException("table output directory must not be null");
    }
    if (baseName == null || baseName.isBlank() || baseName.contains("/") || baseName.contains("\\")) {
      throw new IllegalArgumentException("table base name must be a plain non-blank file name, got '"
          + baseName + "'");
    }
    AtomicFiles.writeString(dir.resolve(baseName + ".csv"), toCsv());
    AtomicFiles.writeString(dir.resolve(baseName + ".md"), toMarkdown());
  }

  @Override
  public String toString() {
    return toMarkdown();
  }

  private static List<String> validated(List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column, got " + columns);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i);
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("column " + i + " has a blank name in " + columns);
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("column '" + name + "' appears twice in " + columns);
      }
    }
    return List.copyOf(columns);
  }

  /** How a value reads in markdown: fixed precision for ordinary doubles, scientific for tiny or huge ones. */
  private static String humanText(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double x = ((Number) value).doubleValue();
      if (!Double.isFinite(x)) {
        return Double.toString(x);
      }
      double abs = Math.abs(x);
      // %.4f would print a learning rate of 1e-5 as 0.0000; switch to scientific where it loses the value.
      if (abs != 0 && (abs < 1e-3 || abs >= 1e7)) {
        return String.format(Locale.ROOT, "%.3e", x);
      }
      return String.format(Locale.ROOT, "%.4f", x);
    }
    return value.toString();
  }

  private static String markdownEscape(String text) {
    // A raw pipe would end the cell and a newline would end the row.
    return text.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }

  private static void appendMarkdownLine(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      out.append(' ').append(cell).append(" ".repeat(widths[c] - cell.length())).append(" |");
    }
    out.append('\n');
  }

  private static void appendCsvRecord(StringBuilder out, List<Object> values) {
    for (int c = 0; c < values.size(); c++) {
      if (c > 0) {
        out.append(',');
      }
      Object value = values.get(c);
      // Full precision here: CSV is read back by programs, so rounding would lose information.
      String text = value == null ? "" : value.toString();
      boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0
          || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
      out.append(quote ? '"' + text.replace("\"", "\"\"") + '"' : text);
    }
    out.append("\r\n");
  }
}
