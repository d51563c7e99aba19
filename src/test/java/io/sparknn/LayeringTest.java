package io.sparknn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the README's "How it is built", read from the imports (and fully qualified names in
 * code) of every main source file. The library packages form one order, each importing only those before it;
 * the applications stand side by side on top, importing the library but never each other.
 */
class LayeringTest {
  /** The library, bottom to top. */
  static final List<String> LIBRARY = List.of("tensor", "report", "optim", "nn.criterion", "nn", "data",
      "train", "train.spark", "io", "config", "ml", "run");
  /** The applications: each may import any library package, none another application. */
  static final Set<String> APPLICATIONS = Set.of("jobs", "sweep", "experiments", "bench");

  private static final Pattern PACKAGE = Pattern.compile("^package io\\.sparknn\\.([a-z0-9.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.sparknn\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  @Test
  void everyImportPointsDownTheLayering() throws IOException {
    List<String> violations = violations(Path.of("src/main/java"));
    assertEquals(List.of(), violations, "imports that break the layering (file: package -> imported package)");
  }

  @Test
  void everyMainPackageHasItsPlace() throws IOException {
    Set<String> unplaced = new TreeSet<>();
    for (Path f : sources(Path.of("src/main/java"))) {
      String p = packageOf(Files.readString(f));
      if (!LIBRARY.contains(p) && !APPLICATIONS.contains(p)) {
        unplaced.add(p);
      }
    }
    assertTrue(unplaced.isEmpty(), "packages missing from the layering: " + unplaced);
  }

  @Test
  void aForbiddenImportIsCaught(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path f = dir.resolve("io/sparknn/nn/Bad.java");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "package io.sparknn.nn;\n\nimport io.sparknn.train.LocalTrainer;\n\n"
        + "/** io.sparknn.jobs.TrainJob in a comment is no import. */\nclass Bad {\n"
        + "  Object o = io.sparknn.sweep.SweepJob.class;\n}\n");
    List<String> v = violations(dir);
    assertEquals(2, v.size(), v.toString());
    assertTrue(v.get(0).contains("nn -> sweep") || v.get(1).contains("nn -> sweep"), v.toString());
    assertTrue(v.get(0).contains("nn -> train") || v.get(1).contains("nn -> train"), v.toString());
  }

  static List<String> violations(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : sources(root)) {
      String text = Files.readString(f);
      String from = packageOf(text);
      Matcher m = REFERENCE.matcher(COMMENT.matcher(text).replaceAll(" "));
      Set<String> seen = new TreeSet<>();
      while (m.find()) {
        String to = m.group(1);
        if (!to.equals(from) && seen.add(to) && !allowed(from, to)) {
          out.add(root.relativize(f) + ": " + from + " -> " + to);
        }
      }
    }
    return out;
  }

  private static boolean allowed(String from, String to) {
    int target = LIBRARY.indexOf(to);
    if (target < 0) {
      return false;   // an application, or a package the layering does not know
    }
    return APPLICATIONS.contains(from) || target < LIBRARY.indexOf(from);
  }

  private static String packageOf(String text) {
    Matcher m = PACKAGE.matcher(text);
    return m.find() ? m.group(1) : "";
  }

  private static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
