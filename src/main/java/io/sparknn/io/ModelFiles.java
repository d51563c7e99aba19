package io.sparknn.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.sparknn.data.HadoopFileSystems;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Saves and loads a model as a directory of two files, through the Hadoop {@code FileSystem} API (so
 * {@code file:}, {@code hdfs:} and {@code s3a:} all work): {@code model.json}, the layer specs and the sizes,
 * written with Jackson; and {@code weights.bin}, the flat parameters then the running statistics as raw
 * little-endian float64. Loading checks the format, version and every size claimed (against the spec and
 * against the weights file's length) before allocating anything, and never uses Java serialization. A save
 * ends with the marker file {@code _COMPLETE}, written after the data ({@link DirectoryCommit}); a directory
 * without it is refused on load, except a version-1 model, written before the marker existed (its save was a
 * rename into place, and its sizes are checked as always).
 */
public final class ModelFiles {
  public static final String FORMAT = "sparknn-model";
  /** Version 2 models are complete only with their marker; version 1 models predate it. */
  public static final int VERSION = 2;
  private static final int UNMARKED_VERSION = 1;
  /** The marker file written last by a save. */
  public static final String MARKER = DirectoryCommit.MARKER;
  public static final String JSON = "model.json";
  public static final String WEIGHTS = "weights.bin";
  private static final Set<String> FILES = Set.of(JSON, WEIGHTS);
  private static final long MAX_JSON_BYTES = 16L << 20;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  private ModelFiles() {}

  /** The contents of {@code model.json}. */
  public record Header(String format, int version, @JsonProperty("input_width") int inputWidth,
      List<LayerSpec> layers, long parameters, long state, String dtype,
      @JsonProperty("byte_order") String byteOrder, @JsonProperty("input_shape") List<Integer> inputShape) {}

  /** A loaded model: its spec and the model built from it with the saved weights. */
  public record Loaded(ModelSpec spec, Sequential model) {}

  /**
   * Writes {@code model} (described by {@code spec}) to directory {@code dir}, which must not exist or hold only
   * what an interrupted save left (that is replaced); a complete model is never written over.
   */
  public static void save(String dir, ModelSpec spec, Sequential model, Configuration conf) {
    Path target = new Path(dir);
    try {
      FileSystem fs = HadoopFileSystems.of(target, conf);
      String tmpPrefix = "." + target.getName() + ".tmp-";
      if (fs.exists(target)) {
        if (complete(fs, target)) {
          throw new IllegalArgumentException(dir + ": already exists and holds a complete model; a model is never "
              + "written over another");
        }
        if (!DirectoryCommit.onlyOurFiles(fs, target, FILES)) {
          throw new IllegalArgumentException(dir + ": exists and is not a model directory; expected a new path");
        }
        System.err.println("sparknn: " + dir + ": replacing the incomplete model (no " + MARKER
            + ") of an interrupted save");
        fs.delete(target, true);
      }
      DirectoryCommit.removeTemporaries(fs, target.getParent(), tmpPrefix);
      DirectoryCommit.commit(fs, target, new Path(target.getParent(), tmpPrefix + UUID.randomUUID()),
          (f, d) -> writeInto(f, d, spec, model.parameters(), model.state()));
    } catch (IOException e) {
      throw new IllegalStateException(dir + ": cannot save the model: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code dir} holds a complete model: its marker, or a version-1 {@code model.json} (those were
   * renamed into place whole, before the marker existed).
   */
  public static boolean isComplete(String dir, Configuration conf) {
    Path base = new Path(dir);
    try {
      FileSystem fs = HadoopFileSystems.of(base, conf);
      return fs.exists(base) && complete(fs, base);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean complete(FileSystem fs, Path dir) throws IOException {
    return DirectoryCommit.marked(fs, dir) || unmarkedVersion(fs, new Path(dir, JSON), FORMAT, UNMARKED_VERSION);
  }

  /**
   * Whether JSON file {@code file} names {@code format} at {@code version}; false when it is missing or not
   * JSON (a file cut short by a crash).
   */
  static boolean unmarkedVersion(FileSystem fs, Path file, String format, int version) throws IOException {
    if (!fs.exists(file) || fs.getFileStatus(file).getLen() > MAX_JSON_BYTES) {
      return false;
    }
    try (InputStream in = fs.open(file)) {
      com.fasterxml.jackson.databind.JsonNode n = MAPPER.readTree(in.readAllBytes());
      return n != null && format.equals(n.path("format").asText()) && n.path("version").asInt(-1) == version;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  /** Refuses {@code dir} unless it is complete; {@code what} names it in the message ("model", "checkpoint"). */
  static void requireComplete(FileSystem fs, Path dir, String what, String format, String file, int unmarked)
      throws IOException {
    if (!DirectoryCommit.marked(fs, dir) && !unmarkedVersion(fs, new Path(dir, file), format, unmarked)) {
      throw new ModelFileException(dir, "incomplete " + what + " directory: no " + MARKER + " marker, so its "
          + "write did not finish (interrupted, or still running); expected a " + what + " written to the end");
    }
  }

  /** Writes the two files into an existing directory {@code dir} (also a checkpoint's, which marks its own). */
  static void writeInto(FileSystem fs, Path dir, ModelSpec spec, double[] parameters, double[] state)
      throws IOException {
    Header h = new Header(FORMAT, VERSION, spec.inputWidth(), spec.layers(), parameters.length, state.length,
        "float64", "little_endian", spec.shaped() ? spec.inputShape().dims() : null);
    try (FSDataOutputStream out = fs.create(new Path(dir, JSON), false)) {
      out.write(MAPPER.writeValueAsBytes(h));
      DirectoryCommit.sync(out);
    }
    try (FSDataOutputStream out = fs.create(new Path(dir, WEIGHTS), false)) {
      writeDoubles(out, parameters);
      writeDoubles(out, state);
      DirectoryCommit.sync(out);
    }
  }

  /** Loads a model saved by {@link #save}; every error names the file and what was wrong. */
  public static Loaded load(String dir, Configuration conf) {
    Path base = new Path(dir);
    Path json = new Path(base, JSON);
    Path weights = new Path(base, WEIGHTS);
    try {
      FileSystem fs = HadoopFileSystems.of(base, conf);
      if (!fs.exists(json)) {
        throw new ModelFileException(json, "not found (is " + dir + " a model directory?)");
      }
      requireComplete(fs, base, "model", FORMAT, JSON, UNMARKED_VERSION);
      long jsonBytes = fs.getFileStatus(json).getLen();
      if (jsonBytes > MAX_JSON_BYTES) {
        throw new ModelFileException(json, jsonBytes + " bytes; a model description is at most " + MAX_JSON_BYTES);
      }
      Header h;
      try (InputStream in = fs.open(json)) {
        h = MAPPER.readValue(in.readAllBytes(), Header.class);
      } catch (ValueInstantiationException e) {
        // A layer its type refused: the type's message says why.
        String why = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
        throw new ModelFileException(json, "not a valid model description: " + why);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ModelFileException(json, "not a valid model description: " + e.getOriginalMessage());
      }
      if (!FORMAT.equals(h.format())) {
        throw new ModelFileException(json, "format is '" + h.format() + "', expected '" + FORMAT + "'");
      }
      if (h.version() != VERSION && h.version() != UNMARKED_VERSION) {
        throw new ModelFileException(json, "version " + h.version() + ", this sparknn reads versions "
            + UNMARKED_VERSION + " and " + VERSION);
      }
      if (!"float64".equals(h.dtype()) || !"little_endian".equals(h.byteOrder())) {
        throw new ModelFileException(json, "dtype " + h.dtype() + " / byte order " + h.byteOrder()
            + ", expected float64 / little_endian");
      }
      ModelSpec spec;
      long[] counts;
      try {
        spec = new ModelSpec(h.inputWidth(), h.layers(), h.inputShape() == null ? null : new Shape(h.inputShape()));
        counts = spec.countParameters();
      } catch (IllegalArgumentException e) {
        throw new ModelFileException(json, e.getMessage());
      }
      if (counts[0] != h.parameters() || counts[1] != h.state()) {
        throw new ModelFileException(json, "claims " + h.parameters() + " parameters and " + h.state()
            + " state values, but its layers have " + counts[0] + " and " + counts[1]);
      }
      long expectedBytes = 8 * (counts[0] + counts[1]);
      if (!fs.exists(weights)) {
        throw new ModelFileException(weights, "not found");
      }
      long actualBytes = fs.getFileStatus(weights).getLen();
      if (actualBytes != expectedBytes) {
        throw new ModelFileException(weights, actualBytes + " bytes, but " + JSON + " describes "
            + (counts[0] + counts[1]) + " float64 values = " + expectedBytes + " bytes");
      }
      Sequential model;
      try {
        model = spec.build(0);
      } catch (IllegalArgumentException e) {
        throw new ModelFileException(json, e.getMessage());
      }
      try (InputStream in = fs.open(weights)) {
        readDoubles(in, model.parameters());
        readDoubles(in, model.state());
      }
      requireFinite(weights, model.parameters(), model.state());
      return new Loaded(spec, model);
    } catch (IOException e) {
      throw new ModelFileException(base, "cannot read: " + e.getMessage());
    }
  }

  /** A model with a NaN or infinite value would evaluate to a NaN loss: refused, naming the first such value. */
  private static void requireFinite(Path weights, double[] parameters, double[] state) {
    for (int i = 0; i < parameters.length + state.length; i++) {
      double v = i < parameters.length ? parameters[i] : state[i - parameters.length];
      if (!Double.isFinite(v)) {
        throw new ModelFileException(weights, "value " + i + " is " + v + " ("
            + (i < parameters.length ? "parameter " + i : "state value " + (i - parameters.length))
            + "); a model with non-finite weights cannot be used");
      }
    }
  }

  static void writeDoubles(OutputStream out, double[] values) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      if (!buf.hasRemaining()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putDouble(values[i]);
    }
    out.write(buf.array(), 0, buf.position());
  }

  static void readDoubles(InputStream in, double[] into) throws IOException {
    byte[] chunk = new byte[8 * 8192];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    while (i < into.length) {
      int want = Math.min(chunk.length, 8 * (into.length - i));
      int got = in.readNBytes(chunk, 0, want);
      if (got != want) {
        throw new IOException("weights end early, after " + (i + got / 8) + " of " + into.length + " values");
      }
      buf.clear();
      for (int k = 0; k < want / 8; k++) {
        into[i++] = buf.getDouble();
      }
    }
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
