package io.sparknn.run;

import io.sparknn.config.ConfigException;
import io.sparknn.report.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's directory on the driver ({@code runs/<timestamp>-<name>/} by default): created fresh for a new run,
 * never reused for another one, so nothing a finished run wrote can be overwritten. Creation is an atomic claim
 * ({@code Files.createDirectory}, which fails if the directory exists), so two jobs started at the same moment
 * never share a directory. A run that completes writes the marker file {@code FINISHED}; a new run that fails
 * before it has anything to resume from is {@link #discard}ed.
 */
public final class RunDirectory {
  public static final String FINISHED = "FINISHED";
  /** Claims an exact {@code output.run}: the job that creates this file owns the directory. */
  static final String CLAIM = ".claim";
  private final Path dir;
  /** Whether this job created the directory (false: it was given an empty one, or resumes a run). */
  private final boolean created;
  private final boolean resumed;

  private RunDirectory(Path dir, boolean created, boolean resumed) {
    this.dir = dir;
    this.created = created;
    this.resumed = resumed;
  }

  /** A new directory under {@code parent} (or exactly {@code exact} when given, which must be absent or empty). */
  public static RunDirectory create(String parent, String exact, String name) {
    if (exact != null) {
      return claim(Path.of(exact));
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String base = stamp + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path dir = Path.of(parent, base);
    try {
      Files.createDirectories(Path.of(parent));
      for (int i = 2; ; i++) {
        try {
          Files.createDirectory(dir);
          return new RunDirectory(dir, true, false);
        } catch (FileAlreadyExistsException taken) {
          dir = Path.of(parent, base + "-" + i);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("key 'output.dir': cannot create run directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Claims {@code dir} for a new run: creates it, or takes it over when it exists and is empty. Whichever job
   * creates the claim file first owns it; the creator claims too, so a job that finds the directory just made
   * (and still empty) cannot take it as well.
   */
  private static RunDirectory claim(Path dir) {
    if (Files.exists(dir.resolve(FINISHED))) {
      throw new ConfigException("key 'output.run': " + dir + " already holds a finished run; "
          + "choose another directory (nothing was changed)");
    }
    boolean created;
    try {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(dir);
      created = true;
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new ConfigException("key 'output.run': " + dir + " is a file; expected a directory or nothing");
      }
      if (!isEmpty(dir)) {
        throw notEmpty(dir);
      }
      created = false;
    } catch (IOException e) {
      throw new ConfigException("key 'output.run': cannot create run directory " + dir + ": " + e.getMessage(), e);
    }
    try {
      Files.writeString(dir.resolve(CLAIM), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw notEmpty(dir);
    } catch (IOException e) {
      if (created) {
        removeIfEmpty(dir, e);
      }
      throw new ConfigException("key 'output.run': cannot claim run directory " + dir + ": " + e.getMessage(), e);
    }
    return new RunDirectory(dir, created, false);
  }

  /** Removes {@code dir} unless another job has written into it meanwhile. */
  private static void removeIfEmpty(Path dir, IOException failure) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static ConfigException notEmpty(Path dir) {
    return new ConfigException("key 'output.run': " + dir + " is not empty; continue an interrupted run "
        + "with --resume " + dir + ", or choose another directory");
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
    return new RunDirectory(dir, false, true);
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

  /** Whether this is an earlier run being resumed (never discarded: this job did not create it). */
  public boolean resumed() {
    return resumed;
  }

  /**
   * Removes what this new run wrote: the whole directory when the job created it, only its contents when the
   * job was given an empty one. A resumed run is never touched.
   */
  public void discard() {
    if (resumed) {
      throw new IllegalStateException(dir + ": a resumed run is never discarded");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (created || !p.equals(dir)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove run directory " + dir + ": " + e.getMessage(), e);
    }
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
