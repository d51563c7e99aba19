package io.sparknn.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the RFC 4180 CSV tables the experiments write (one record per line, quoted cells allowed). */
final class Csv {
  private Csv() {}

  static List<Map<String, String>> read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      String[] header = cells(lines.get(0));
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = cells(line);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], i < cells.length ? cells[i] : "");
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    out.add(cell.toString());
    return out.toArray(new String[0]);
  }

  static double number(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }

  /** Width and height of a PNG, and the number of distinct colours in it. */
  static int[] png(Path file) {
    try {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(file.toFile());
      java.util.Set<Integer> colours = new java.util.HashSet<>();
      for (int y = 0; y < img.getHeight(); y += 2) {
        for (int x = 0; x < img.getWidth(); x += 2) {
          colours.add(img.getRGB(x, y));
        }
      }
      return new int[] {img.getWidth(), img.getHeight(), colours.size()};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
