package io.sparknn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.io.ModelFiles;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.report.AtomicFiles;
import io.sparknn.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A sweep's directory on the driver, with {@link RunDirectory}'s safety: a directory holding a finished sweep
 * ({@code FINISHED}) is never written into; one holding an unfinished sweep is resumed only by the same sweep
 * (its {@code sweep.yaml} must agree on everything that decides the trials; {@code mode}, {@code parallelism}
 * and {@code output} may change); a non-empty directory that holds no sweep is refused. A lock file keeps two
 * sweeps from writing into the same directory at once.
 *
 * <p>Holds {@code sweep.yaml} (the resolved sweep, base config inline: a sweep file itself), {@code trials.jsonl},
 * and, while the sweep runs, the model of the best trial so far under {@code .best/}; {@link #keepBest} moves it
 * to {@code model/} at the end.
 */
public final class SweepDirectory implements AutoCloseable {
  public static final String SPEC = "sweep.yaml";
  public static final String TRIALS = "trials.jsonl";
  private static final String CANDIDATES = ".best";

  private final Path dir;
  private final boolean resumed;
  private final FileChannel lockFile;
  private final FileLock lock;

  private SweepDirectory(Path dir, boolean resumed, FileChannel lockFile, FileLock lock) {
    this.dir = dir;
    this.resumed = resumed;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** Creates the directory of {@code sweep}, or opens it to resume an interrupted run of the same sweep. */
  public static SweepDirectory open(Sweep sweep) {
    Path dir = sweep.dir();
    if (Files.exists(dir.resolve(RunDirectory.FINISHED))) {
      throw new ConfigException("key 'output.dir': " + dir + " already holds a finished sweep; choose another "
          + "directory (nothing was changed)");
    }
    boolean resumed = Files.isRegularFile(dir.resolve(SPEC));
    if (resumed) {
      JsonNode stored = ConfigLoader.readTree(dir.resolve(SPEC));
      String diff = Sweep.firstDifference((com.fasterxml.jackson.databind.node.ObjectNode) stored, sweep.resolved());
      if (diff != null) {
        throw new ConfigException("key 'output.dir': " + dir + " holds an unfinished sweep that differs from "
            + sweep.source() + " in '" + diff + "'; choose another directory, or resume it with its own "
            + dir.resolve(SPEC));
      }
    } else if (Files.isDirectory(dir) && !isEmpty(dir)) {
      throw new ConfigException("key 'output.dir': " + dir + " is not empty and holds no sweep; choose another "
          + "directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("cannot create sweep directory " + dir + ": " + e.getMessage(), e);
    }
    FileChannel channel = null;
    FileLock lock = null;
    try {
      channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + dir + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new ConfigException("key 'output.dir': another sweep is writing into " + dir + " right now");
    }
    if (!resumed) {
      AtomicFiles.writeString(dir.resolve(SPEC), ConfigLoader.toYaml(sweep.resolved()));
    }
    return new SweepDirectory(dir, resumed, channel, lock);
  }

  /** Whether an interrupted sweep is being resumed. */
  public boolean resumed() {
    return resumed;
  }

  public Path path() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Saves trial {@code id}'s model as the best so far (replacing the previous best's). */
  public void saveBest(String id, ModelSpec spec, Sequential model) {
    Path candidates = dir.resolve(CANDIDATES);
    Path target = candidates.resolve(id);
    delete(target);
    ModelFiles.save(target.toString(), spec, model, new org.apache.hadoop.conf.Configuration());
    try (Stream<Path> s = Files.list(candidates)) {
      for (Path p : s.toList()) {
        if (!p.equals(target) && !p.getFileName().toString().startsWith(".")) {
          delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether trial {@code id}'s model is kept as the best so far. */
  public boolean hasBest(String id) {
    return Files.isRegularFile(dir.resolve(CANDIDATES).resolve(id).resolve(ModelFiles.WEIGHTS));
  }

  /** Moves trial {@code id}'s kept model to {@code model/}; returns that path. */
  public Path keepBest(String id) {
    Path model = dir.resolve("model");
    Path from = dir.resolve(CANDIDATES).resolve(id);
    delete(model);
    try {
      Files.move(from, model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + from + " to " + model + ": " + e.getMessage(), e);
    }
    delete(dir.resolve(CANDIDATES));
    return model;
  }

  /** Marks the sweep finished: the directory is never written into again. */
  public void finish() {
    AtomicFiles.writeString(dir.resolve(RunDirectory.FINISHED), java.time.Instant.now() + "\n");
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel releases it anyway.
    }
    closeQuietly(lockFile);
    try {
      Files.deleteIfExists(dir.resolve(".lock"));
    } catch (IOException e) {
      // A stale lock file is harmless: the lock is the OS lock, not the file.
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing more to do
      }
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      // A lock file alone is what a sweep that died before writing sweep.yaml leaves.
      return s.allMatch(p -> p.getFileName().toString().equals(".lock"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }
}
