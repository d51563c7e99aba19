package io.sparknn.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An append-only JSON Lines file of training metrics: one JSON object per line, flushed as soon as it is
 * written, so a run that crashes keeps every record it logged. Non-finite numbers (a diverged loss) are
 * written as {@code null}, because JSON has no NaN. {@link #open} appends to an existing file after cutting
 * off a partial last line left by an earlier crash; {@link #read} skips such a line too, but reports any
 * malformed line before the last one with the file name and line number. Writes are synchronized, so
 * several threads may share one log. I/O failures are thrown as {@link UncheckedIOException}.
 */
public final class MetricsLog implements Closeable {
  private static final ObjectMapper JSON = newMapper();
  private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {};

  private final Path file;
  private Writer out;

  private MetricsLog(Path file, Writer out) {
    this.file = file;
    this.out = out;
  }

  /** Opens {@code file} for appending, creating it and its parent directories if they are missing. */
  public static MetricsLog open(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("metrics log path must not be null");
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (Files.exists(file)) {
        dropPartialLastLine(file);
      }
      Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new MetricsLog(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open metrics log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends {@code record} as one JSON line and flushes it to the operating system. */
  public synchronized void write(Map<String, ?> record) {
    if (record == null) {
      throw new IllegalArgumentException("metrics record for " + file + " must not be null");
    }
    if (out == null) {
      throw new IllegalStateException("metrics log " + file + " is closed");
    }
    String line;
    try {
      // Serialise fully before touching the file, so a value Jackson cannot write leaves no partial line.
      line = JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("metrics record cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
    try {
      out.write(line);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to metrics log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Every record in {@code file}, in order; numbers come back as Integer, Long or Double. */
  public static List<Map<String, Object>> read(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("metrics log path must not be null");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read metrics log " + file + ": " + e.getMessage(), e);
    }
    // Decoding leniently: a crash can cut the last line inside a multi-byte character.
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    List<Map<String, Object>> records = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      boolean unterminated = i == lines.length - 1;
      try {
        Map<String, Object> record = JSON.readValue(line, RECORD);
        if (record == null) {
          throw new IllegalArgumentException(file + " line " + (i + 1) + " is null, not a JSON object");
        }
        records.add(record);
      } catch (JsonProcessingException e) {
        if (unterminated) {
          // No newline after it: the write was interrupted, so the line is a fragment, not corruption.
          break;
        }
        throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a JSON object: "
            + e.getOriginalMessage(), e);
      }
    }
    return records;
  }

  /**
   * Rewrites {@code file} (atomically) without the epoch lines after {@code epochs} and without a final line:
   * what a resumed run does with the lines written after the checkpoint it continues from. A missing file is
   * left missing.
   */
  public static void keepEpochsUpTo(Path file, int epochs) {
    if (!Files.exists(file)) {
      return;
    }
    StringBuilder kept = new StringBuilder();
    for (Map<String, Object> record : read(file)) {
      if (record.get("epoch") instanceof Number n && n.intValue() <= epochs) {
        try {
          kept.append(JSON.writeValueAsString(record)).append('\n');
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(file + ": a record read back cannot be written again", e);
        }
      }
    }
    AtomicFiles.writeString(file, kept.toString());
  }

  @Override
  public synchronized void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close metrics log " + file + ": " + e.getMessage(), e);
    } finally {
      out = null;
    }
  }

  /** Truncates {@code file} just after its last newline, so appended lines do not glue onto a fragment. */
  private static void dropPartialLastLine(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = channel.size();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      long pos = end;
      while (pos > 0) {
        int chunk = (int) Math.min(buffer.capacity(), pos);
        pos -= chunk;
        buffer.clear().limit(chunk);
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, pos + buffer.position()) < 0) {
            throw new IOException("file shrank while being read");
          }
        }
        for (int i = chunk - 1; i >= 0; i--) {
          if (buffer.get(i) == '\n') {
            long keep = pos + i + 1;
            if (keep < end) {
              channel.truncate(keep);
            }
            return;
          }
        }
      }
      // No newline at all: the whole file is one unfinished line.
      channel.truncate(0);
    }
  }

  private static ObjectMapper newMapper() {
    SimpleModule finiteOnly = new SimpleModule("finite-numbers");
    JsonSerializer<Number> number = new JsonSerializer<>() {
      @Override
      public void serialize(Number value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        double x = value.doubleValue();
        if (!Double.isFinite(x)) {
          gen.writeNull();
        } else if (value instanceof Float) {
          gen.writeNumber(value.floatValue());
        } else {
          gen.writeNumber(x);
        }
      }
    };
    JsonSerializer<double[]> doubles = new JsonSerializer<>() {
      @Override
      public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartArray();
        for (double x : values) {
          if (Double.isFinite(x)) {
            gen.writeNumber(x);
          } else {
            gen.writeNull();
          }
        }
        gen.writeEndArray();
      }
    };
    JsonSerializer<float[]> floats = new JsonSerializer<>() {
      @Override
      public void serialize(float[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartArray();
        for (float x : values) {
          if (Float.isFinite(x)) {
            gen.writeNumber(x);
          } else {
            gen.writeNull();
          }
        }
        gen.writeEndArray();
      }
    };
    // Boxed and primitive types are looked up separately, so both need the null-for-NaN rule.
    finiteOnly.addSerializer(Double.class, number);
    finiteOnly.addSerializer(Double.TYPE, number);
    finiteOnly.addSerializer(Float.class, number);
    finiteOnly.addSerializer(Float.TYPE, number);
    finiteOnly.addSerializer(double[].class, doubles);
    finiteOnly.addSerializer(float[].class, floats);
    return new ObjectMapper()
        .registerModule(finiteOnly)
        // Two records glued onto one line must count as malformed, not as the first record alone.
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }
}
