package io.sparknn.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparknn.config.ConfigException;
import io.sparknn.report.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trials.jsonl}: one JSON object per trial, every planned trial present from the start. It is rewritten
 * whole and atomically whenever a trial changes, so after a crash it holds a consistent picture as of the last
 * rung any trial reached; that picture is what a re-run of the same sweep resumes from.
 */
public final class TrialLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrialLog() {}

  public static void write(Path file, Collection<TrialRecord> records) {
    StringBuilder sb = new StringBuilder();
    for (TrialRecord r : records) {
      sb.append(TrialRecord.canonical(r.toJson())).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /** The lines of {@code file} by trial id, in file order. */
  public static Map<String, JsonNode> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(lines.get(i));
        if (n == null || !n.isObject() || !n.path("trial").isTextual()) {
          throw new ConfigException(file + " line " + (i + 1) + ": not a trial record");
        }
        byId.put(n.get("trial").asText(), n);
      } catch (JsonProcessingException e) {
        throw new ConfigException(file + " line " + (i + 1) + ": not valid JSON: " + e.getOriginalMessage(), e);
      }
    }
    return byId;
  }

  /**
   * Restores {@code records} from {@code file} of an interrupted session of the same sweep. Every line must
   * belong to a planned trial with the same config; otherwise the directory holds another sweep's results. A
   * trial that reached {@code budget} epochs is complete.
   */
  public static void restore(Path file, Map<String, TrialRecord> records, int budget) {
    for (Map.Entry<String, JsonNode> e : read(file).entrySet()) {
      TrialRecord r = records.get(e.getKey());
      String recorded = TrialRecord.canonical(e.getValue().path("config"));
      if (r == null || !recorded.equals(r.configKey())) {
        throw new ConfigException(file + ": trial " + e.getKey() + " was recorded with config " + recorded
            + ", but this sweep plans " + (r == null ? "no such trial" : r.configKey())
            + "; the directory holds another sweep's results");
      }
      if (r.trial().valid()) {
        r.restore(e.getValue(), budget);
      }
    }
  }
}
