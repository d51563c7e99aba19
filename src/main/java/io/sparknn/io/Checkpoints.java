package io.sparknn.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknn.data.HadoopFileSystems;
import io.sparknn.nn.ModelSpec;
import io.sparknn.train.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's checkpoints, under {@code <run>/checkpoints/ckpt-<iteration>/}, through the Hadoop {@code FileSystem}
 * API. A checkpoint holds the model files ({@link ModelFiles}), the optimizer's flat state
 * ({@code optimizer.bin}, little-endian float64) and {@code training.json} (format version, epoch, step,
 * iteration, the resolved config, the current epoch's loss sum and rows, the first iteration's loss). It is written into a temporary directory and renamed into place, so a crash
 * never leaves half a checkpoint as the latest; only the newest {@code keep} are kept.
 */
public final class Checkpoints {
  public static final String FORMAT = "sparknn-checkpoint";
  public static final int VERSION = 1;
  private static final String PREFIX = "ckpt-";

  private final Path dir;
  private final Configuration conf;
  private final int keep;

  /**
   * Contents of {@code training.json}. The epoch's loss sum and rows and the first iteration's loss are absent
   * from checkpoints written before they were saved: the sums then read as 0 (the resumed epoch's loss averages
   * its remaining iterations only) and the first loss as unknown (the divergence rule that needs it is off).
   */
  public record Meta(String format, int version, int epoch, int step, long iteration,
      @JsonProperty("optimizer_values") long optimizerValues, String config,
      @JsonProperty("epoch_loss_sum") double epochLossSum, @JsonProperty("epoch_loss_rows") long epochLossRows,
      @JsonProperty("first_loss") Double firstLoss) {}

  /** A checkpoint read back: where it is, the training state, and the config it was written with. */
  public record Loaded(String path, TrainingState state, String config) {}

  public Checkpoints(String runDir, Configuration conf, int keep) {
    this.dir = new Path(runDir, "checkpoints");
    this.conf = conf;
    this.keep = keep;
  }

  /** Writes a checkpoint of {@code s} at global {@code iteration}; returns its path. */
  public String write(TrainingState s, long iteration, ModelSpec spec, String configYaml) {
    Path target = new Path(dir, String.format("%s%010d", PREFIX, iteration));
    try {
      FileSystem fs = HadoopFileSystems.of(dir, conf);
      fs.mkdirs(dir);
      if (fs.exists(target)) {
        return target.toString();
      }
      Path tmp = new Path(dir, ".tmp-" + UUID.randomUUID());
      fs.mkdirs(tmp);
      ModelFiles.writeInto(fs, tmp, spec, s.weights(), s.state());
      try (OutputStream out = fs.create(new Path(tmp, "optimizer.bin"), false)) {
        ModelFiles.writeDoubles(out, s.optimizerState());
      }
      Meta meta = new Meta(FORMAT, VERSION, s.epoch(), s.step(), iteration, s.optimizerState().length, configYaml,
          s.epochLossSum(), s.epochLossRows(), Double.isNaN(s.firstLoss()) ? null : s.firstLoss());
      try (OutputStream out = fs.create(new Path(tmp, "training.json"), false)) {
        out.write(ModelFiles.mapper().writeValueAsBytes(meta));
      }
      if (!fs.rename(tmp, target)) {
        fs.delete(tmp, true);
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      List<Path> all = list(fs);
      for (int i = 0; i < all.size() - keep; i++) {
        fs.delete(all.get(i), true);
      }
      return target.toString();
    } catch (IOException e) {
      throw new IllegalStateException(target + ": cannot write checkpoint: " + e.getMessage(), e);
    }
  }

  /** The newest complete checkpoint, if any. */
  public Optional<Loaded> latest() {
    try {
      FileSystem fs = HadoopFileSystems.of(dir, conf);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      List<Path> all = list(fs);
      if (all.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(read(fs, all.get(all.size() - 1)));
    } catch (IOException e) {
      throw new IllegalStateException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
    }
  }

  private Loaded read(FileSystem fs, Path ckpt) throws IOException {
    Path metaFile = new Path(ckpt, "training.json");
    Meta meta;
    try (InputStream in = fs.open(metaFile)) {
      meta = ModelFiles.mapper().readValue(in.readAllBytes(), Meta.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFileException(metaFile, "not a valid checkpoint description: " + e.getOriginalMessage());
    }
    if (!FORMAT.equals(meta.format()) || meta.version() != VERSION) {
      throw new ModelFileException(metaFile, "format " + meta.format() + " version " + meta.version()
          + ", expected " + FORMAT + " version " + VERSION);
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
    TrainingState s = new TrainingState(meta.epoch(), meta.step(), model.model().parameters(),
        model.model().state(), optimizer, meta.epochLossSum(), meta.epochLossRows(),
        meta.firstLoss() == null ? Double.NaN : meta.firstLoss());
    return new Loaded(ckpt.toString(), s, meta.config());
  }

  private List<Path> list(FileSystem fs) throws IOException {
    FileStatus[] children = fs.listStatus(dir);
    List<Path> out = new ArrayList<>();
    for (FileStatus c : children) {
      if (c.isDirectory() && c.getPath().getName().startsWith(PREFIX)) {
        out.add(c.getPath());
      }
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }
}
