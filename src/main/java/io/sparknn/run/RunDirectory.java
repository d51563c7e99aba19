package io.sparknn.run;

import io.sparknn.config.ConfigException;
import io.sparknn.report.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * A run's directory on the driver ({@code runs/<timestamp>-<name>/} by default): created fresh for a new run,
 * never reused for another one, so nothing a finished run wrote can be overwritten. A run that completes
 * writes the marker file {@code FINISHED}.
 */
public final class RunDirectory {
  public static final String FINISHED = "FINISHED";
  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** A new directory under {@code parent} (or exactly {@code exact} when given, which must be absent or empty). */
  public static RunDirectory create(String parent, String exact, String name) {
    Path dir;
    if (exact != null) {
      dir = Path.of(exact);
      if (Files.exists(dir.resolve(FINISHED))) {
        throw new ConfigException("key 'output.run': " + dir + " already holds a finished run; "
            + "choose another directory (nothing was changed)");
      }
      if (Files.isDirectory(dir) && !isEmpty(dir)) {
        throw new ConfigException("key 'output.run': " + dir + " is not empty; continue an interrupted run "
            + "with --resume " + dir + ", or choose another directory");
      }
    } else {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
      dir = Path.of(parent, stamp + "-" + safe);
      for (int i = 2; Files.exists(dir); i++) {
        dir = Path.of(parent, stamp + "-" + safe + "-" + i);
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("cannot create run directory " + dir + ": " + e.getMessage(), e);
    }
    return new RunDirectory(dir);
  }

  /** An existing run to resume: it must exist, hold a config and not be finished. */
  public static RunDirectory resume(String path) {
    Path dir = Path.of(path);
    if (!Files.isRegularFile(dir.resolve("config.yaml"))) {
      throw new ConfigException("--resume " + path + ": no config.yaml there; expected a run directory");
    }
    if (Files.exists(dir.resolve(FINISHED))) {
      throw new ConfigException("--resume " + path + ": this run already finished; nothing to resume");
    }
    return new RunDirectory(dir);
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Marks the run complete. */
  public void finish() {
    AtomicFiles.writeString(dir.resolve(FINISHED), java.time.Instant.now() + "\n");
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
