package io.sparknn.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Refuses the top-level keys an experiment config used to take before it moved onto the training configs'
 * nested schema ({@code lr} is now {@code optimizer.lr}, ...), naming the new key for each, in the file and in
 * {@code --set} overrides alike. Without it an old config would fail as an unknown key, with no hint where the
 * setting went.
 */
final class MovedKeys {
  private MovedKeys() {}

  /** Throws a {@link ConfigException} if {@code file} or {@code overrides} use a key of {@code moved}. */
  static void refuse(Path file, List<String> overrides, Map<String, String> moved) {
    if (moved.isEmpty()) {
      return;
    }
    List<String> found = new ArrayList<>();
    JsonNode tree = ConfigLoader.readTree(file);
    for (Iterator<String> keys = tree.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (moved.containsKey(key)) {
        found.add(message(key, moved));
      }
    }
    if (!found.isEmpty()) {
      throw new ConfigException(file + ": " + String.join("; ", found));
    }
    for (String assignment : overrides) {
      int eq = assignment.indexOf('=');
      String key = (eq < 0 ? assignment : assignment.substring(0, eq)).trim().split("\\.", 2)[0];
      if (moved.containsKey(key)) {
        throw new ConfigException("--set " + assignment + ": " + message(key, moved));
      }
    }
  }

  private static String message(String key, Map<String, String> moved) {
    return "key '" + key + "' moved: use '" + moved.get(key) + "'";
  }
}
