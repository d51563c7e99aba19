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
 * and, while the sweep runs, the model of the best trial so far under {@code .best/}; {@link #keepBest} writes it
 * to {@code model/} at the end, and {@link #finish} removes {@code .best/}. Models count only when complete
 * (their {@code _COMPLETE} marker, {@link ModelFiles}).
 */
public final class SweepDirectory implements AutoCloseable {
  public static final String SPEC = "sweep.yaml";
  public static final String TRIALS = "trials.jsonl";
  private static final String CANDIDATES = ".best";
  /** The sweep directory is on the driver's local file system. */
  private static final org.apache.hadoop.conf.Configuration HADOOP = new org.apache.hadoop.conf.Configuration();

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
    // The checks above ran before the lock: a sweep that held it meanwhile may have started or finished here.
    if (Files.exists(dir.resolve(RunDirectory.FINISHED)) || Files.isRegularFile(dir.resolve(SPEC)) != resumed) {
      closeQuietly(channel);
      throw new ConfigException("key 'output.dir': another sweep wrote into " + dir + " while this one was "
          + "starting; look at what it left, then run this sweep again");
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
    ModelFiles.save(target.toString(), spec, model, HADOOP);
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

  /** Whether trial {@code id}'s model is kept as the best so far, saved to the end. */
  public boolean hasBest(String id) {
    return ModelFiles.isComplete(dir.resolve(CANDIDATES).resolve(id).toString(), HADOOP);
  }

  /**
   * Writes trial {@code id}'s kept model to {@code model/} (replacing what an interrupted earlier attempt left);
   * returns that path. The candidate stays until {@link #finish}, so a sweep stopped in between, once resumed,
   * still finds its best model.
   */
  public Path keepBest(String id) {
    Path model = dir.resolve("model");
    ModelFiles.Loaded best = ModelFiles.load(dir.resolve(CANDIDATES).resolve(id).toString(), HADOOP);
    delete(model);
    ModelFiles.save(model.toString(), best.spec(), best.model(), HADOOP);
    return model;
  }

  /** Marks the sweep finished: the directory is never written into again; the candidate models go. */
  public void finish() {
    AtomicFiles.writeString(dir.resolve(RunDirectory.FINISHED), java.time.Instant.now() + "\n");
    delete(dir.resolve(CANDIDATES));
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
