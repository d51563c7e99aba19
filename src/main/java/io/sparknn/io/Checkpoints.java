package io.sparknn.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknn.data.HadoopFileSystems;
import io.sparknn.nn.ModelSpec;
import io.sparknn.train.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's checkpoints, under {@code <run>/checkpoints/ckpt-<iteration>/}, through the Hadoop {@code FileSystem}
 * API. A checkpoint holds the model files ({@link ModelFiles}), the optimizer's flat state
 * ({@code optimizer.bin}, little-endian float64) and {@code training.json} (format version, epoch, step,
 * iteration, the resolved config, the current epoch's loss sum and rows, the first iteration's loss), and is
 * complete only once its marker {@code _COMPLETE} is written, last ({@link DirectoryCommit}). {@link #latest}
 * takes the newest complete checkpoint that reads back, saying which ones it skipped and why; a version-1
 * checkpoint, written before the marker existed, counts as complete. Writing a checkpoint cleans up after
 * earlier crashes (temporaries, incomplete checkpoints, and checkpoints beyond this one, from before the run
 * was resumed) and keeps only the newest {@code keep}.
 */
public final class Checkpoints {
  public static final String FORMAT = "sparknn-checkpoint";
  /** Version 2 checkpoints are complete only with their marker; version 1 ones predate it. */
  public static final int VERSION = 2;
  private static final int UNMARKED_VERSION = 1;
  private static final String TMP = ".tmp-";
  private static final String PREFIX = "ckpt-";

  private final Path dir;
  private final Configuration conf;
  private final int keep;
  /** The checkpoint this job wrote or resumed from last: writing its iteration again changes nothing. */
  private Path current;

  /**
   * Contents of {@code training.json}. The epoch's loss sum and rows and the first iteration's loss are absent
   * from checkpoints written before they were saved: the sums then read as 0 (the resumed epoch's loss averages
   * its remaining iterations only) and the first loss as unknown (the divergence rule that needs it is off).
   */
  public record Meta(String format, int version, int epoch, int step, long iteration,
      @JsonProperty("optimizer_values") long optimizerValues, String config,
      @JsonProperty("epoch_loss_sum") double epochLossSum, @JsonProperty("epoch_loss_rows") long epochLossRows,
      @JsonProperty("first_loss") Double firstLoss) {}

  /**
   * A checkpoint read back: where it is, the training state, the config it was written with, and the global
   * iterations run when it was written.
   */
  public record Loaded(String path, TrainingState state, String config, long iterations) {}

  public Checkpoints(String runDir, Configuration conf, int keep) {
    this.dir = new Path(runDir, "checkpoints");
    this.conf = conf;
    this.keep = keep;
  }

  /** Writes a checkpoint of {@code s} at global {@code iteration}; returns its path. */
  public String write(TrainingState s, long iteration, ModelSpec spec, String configYaml) {
    Path target = new Path(dir, String.format("%s%010d", PREFIX, iteration));
    if (target.equals(current)) {
      // An epoch's end can fall on an every-N-iterations checkpoint: the same state, already written.
      return target.toString();
    }
    try {
      FileSystem fs = HadoopFileSystems.of(dir, conf);
      fs.mkdirs(dir);
      if (fs.exists(target)) {
        // Left by the run before it was resumed from an older checkpoint: incomplete, unreadable, or the same.
        fs.delete(target, true);
      }
      Meta meta = new Meta(FORMAT, VERSION, s.epoch(), s.step(), iteration, s.optimizerState().length, configYaml,
          s.epochLossSum(), s.epochLossRows(), Double.isNaN(s.firstLoss()) ? null : s.firstLoss());
      DirectoryCommit.commit(fs, target, new Path(dir, TMP + UUID.randomUUID()), (f, d) -> {
        ModelFiles.writeInto(f, d, spec, s.weights(), s.state());
        try (FSDataOutputStream out = f.create(new Path(d, "optimizer.bin"), false)) {
          ModelFiles.writeDoubles(out, s.optimizerState());
          DirectoryCommit.sync(out);
        }
        try (FSDataOutputStream out = f.create(new Path(d, "training.json"), false)) {
          out.write(ModelFiles.mapper().writeValueAsBytes(meta));
          DirectoryCommit.sync(out);
        }
      });
      current = target;
      cleanUp(fs, iteration);
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException(target + ": cannot write checkpoint: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes what earlier crashes left (temporaries, incomplete checkpoints, checkpoints past {@code newest}: the
   * run went back to an older one), then all but the newest {@code keep} complete ones.
   */
  private void cleanUp(FileSystem fs, long newest) throws IOException {
    DirectoryCommit.removeTemporaries(fs, dir, TMP);
    List<Path> complete = new ArrayList<>();
    for (Path p : list(fs)) {
      if (iteration(p) > newest || !complete(fs, p)) {
        System.err.println("sparknn: removing " + p + (iteration(p) > newest ? ", from before the resume"
            : ", incomplete (no " + DirectoryCommit.MARKER + ")"));
        fs.delete(p, true);
      } else {
        complete.add(p);
      }
    }
    for (int i = 0; i < complete.size() - keep; i++) {
      fs.delete(complete.get(i), true);
    }
  }

  private static boolean complete(FileSystem fs, Path ckpt) throws IOException {
    return DirectoryCommit.marked(fs, ckpt)
        || ModelFiles.unmarkedVersion(fs, new Path(ckpt, "training.json"), FORMAT, UNMARKED_VERSION);
  }

  private static long iteration(Path ckpt) {
    try {
      return Long.parseLong(ckpt.getName().substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The newest complete checkpoint that reads back, if any; each newer one skipped is named on stderr with the
   * reason.
   */
  public Optional<Loaded> latest() {
    try {
      FileSystem fs = HadoopFileSystems.of(dir, conf);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      List<Path> all = list(fs);
      for (int i = all.size() - 1; i >= 0; i--) {
        try {
          Loaded l = read(fs, all.get(i));
          current = all.get(i);
          return Optional.of(l);
        } catch (IOException | IllegalArgumentException e) {
          System.err.println("sparknn: skipping checkpoint " + all.get(i) + ": " + e.getMessage()
              + (i > 0 ? "; trying the one before" : "; no older checkpoint left"));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
    }
  }

  /** The path of the newest complete checkpoint (by its marker, without reading it back), if any. */
  public Optional<String> newestComplete() {
    try {
      FileSystem fs = HadoopFileSystems.of(dir, conf);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      List<Path> all = list(fs);
      for (int i = all.size() - 1; i >= 0; i--) {
        if (complete(fs, all.get(i))) {
          return Optional.of(all.get(i).toString());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
    }
  }

  private Loaded read(FileSystem fs, Path ckpt) throws IOException {
    ModelFiles.requireComplete(fs, ckpt, "checkpoint", FORMAT, "training.json", UNMARKED_VERSION);
    Path metaFile = new Path(ckpt, "training.json");
    Meta meta;
    try (InputStream in = fs.open(metaFile)) {
      meta = ModelFiles.mapper().readValue(in.readAllBytes(), Meta.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFileException(metaFile, "not a valid checkpoint description: " + e.getOriginalMessage());
    }
    if (!FORMAT.equals(meta.format()) || (meta.version() != VERSION && meta.version() != UNMARKED_VERSION)) {
      throw new ModelFileException(metaFile, "format " + meta.format() + " version " + meta.version()
          + ", expected " + FORMAT + " version " + UNMARKED_VERSION + " or " + VERSION);
    }
    ModelFiles.Loaded model = ModelFiles.load(ckpt.toString(), conf);
    Path opt = new Path(ckpt, "optimizer.bin");
    long bytes = fs.getFileStatus(opt).getLen();
    if (bytes != 8 * meta.optimizerValues() || meta.optimizerValues() > 4L * Integer.MAX_VALUE / 8) {
      throw new ModelFileException(opt, bytes + " bytes, training.json says " + meta.optimizerValues() + " values");
    }
    double[] optimizer = new double[(int) meta.optimizerValues()];
    try (InputStream in = fs.open(opt)) {
      ModelFiles.readDoubles(in, optimizer);
    }
    for (int i = 0; i < optimizer.length; i++) {
      // A non-finite optimizer state would make the resumed run diverge at once: this checkpoint is not usable.
      if (!Double.isFinite(optimizer[i])) {
        throw new ModelFileException(opt, "value " + i + " is " + optimizer[i] + "; an optimizer state must be finite");
      }
    }
    TrainingState s = new TrainingState(meta.epoch(), meta.step(), model.model().parameters(),
        model.model().state(), optimizer, meta.epochLossSum(), meta.epochLossRows(),
        meta.firstLoss() == null ? Double.NaN : meta.firstLoss());
    return new Loaded(ckpt.toString(), s, meta.config(), meta.iteration());
  }

  private List<Path> list(FileSystem fs) throws IOException {
    FileStatus[] children = fs.listStatus(dir);
    List<Path> out = new ArrayList<>();
    for (FileStatus c : children) {
      if (c.isDirectory() && c.getPath().getName().startsWith(PREFIX)) {
        // Named as the run directory was given (listings qualify paths: "file:/..."), for messages.
        out.add(new Path(dir, c.getPath().getName()));
      }
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }
}
