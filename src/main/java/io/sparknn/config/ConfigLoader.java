package io.sparknn.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sparknn.nn.LayerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads YAML or JSON configs into typed records, applies {@code --set key.path=value} overrides, and turns
 * Jackson's errors into messages that name the file, the dotted key, what was found and what is allowed.
 * Unknown keys are errors, never silently ignored.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      // A key given twice is a mistake to report, not a chance for the last one to win silently.
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  private ConfigLoader() {}

  /** The mapper used for configs (YAML; JSON is valid YAML). */
  public static ObjectMapper mapper() {
    return YAML;
  }

  /**
   * Reads {@code file}, applies the {@code key=value} overrides in order and binds the result to {@code type}:
   * the one way every job turns a config file and its command-line overrides into a typed config.
   */
  public static <T> T load(Path file, List<String> overrides, Class<T> type) {
    ObjectNode tree = readTree(file);
    if (overrides.isEmpty()) {
      return bind(tree, type, file.toString());
    }
    ObjectNode fileAlone = tree.deepCopy();
    for (String s : overrides) {
      set(tree, s);
    }
    try {
      return bind(tree, type, file.toString());
    } catch (ConfigException e) {
      // Blame the file only for what is wrong with the file: an error that the overrides brought in is theirs.
      bind(fileAlone, type, file.toString());
      throw new ConfigException(e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(file.toString()),
          "--set " + String.join(" ", overrides) + " (on " + file + ")"), e);
    }
  }

  /** Reads {@code file} (YAML or JSON) as a tree. */
  public static ObjectNode readTree(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + ": config file not found");
    }
    try {
      JsonNode node = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (node == null || !node.isObject()) {
        throw new ConfigException(file + ": expected a mapping of keys at the top level, found "
            + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      String duplicate = duplicateKey(e);
      if (duplicate != null) {
        throw new ConfigException(file + ": key '" + duplicate + "' is given twice (the second at line "
            + e.getLocation().getLineNr() + "); keep one", e);
      }
      throw new ConfigException(file + ": not valid YAML/JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Applies one override {@code a.b.c=value} to {@code tree}: the value is read as YAML (so {@code 0.05} is a
   * number, {@code true} a boolean, {@code [1, 2]} a list); a numeric segment indexes a list.
   */
  public static void set(ObjectNode tree, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set needs key=value, got '" + assignment + "'");
    }
    String key = assignment.substring(0, eq).trim();
    if (assignment.substring(eq + 1).isBlank()) {
      throw new ConfigException("--set " + key + "=: no value given; give one (e.g. " + key + "=VALUE), or leave "
          + "the key out for its default");
    }
    JsonNode value;
    try {
      value = YAML.readTree(assignment.substring(eq + 1));
      if (value == null || value.isMissingNode()) {
        value = JsonNodeFactory.instance.nullNode();
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException("--set " + key + ": value is not valid YAML: " + e.getOriginalMessage(), e);
    }
    String[] parts = key.split("\\.");
    JsonNode node = tree;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      if (node instanceof ObjectNode obj) {
        if (last) {
          obj.set(part, value);
        } else {
          JsonNode child = obj.get(part);
          if (child == null || child.isNull()) {
            child = obj.putObject(part);
          }
          node = child;
        }
      } else if (node instanceof ArrayNode arr) {
        int index;
        try {
          index = Integer.parseInt(part);
        } catch (NumberFormatException e) {
          throw new ConfigException("--set " + key + ": '" + part + "' must be a list index");
        }
        if (index < 0 || index >= arr.size()) {
          throw new ConfigException("--set " + key + ": index " + index + " outside the list of " + arr.size());
        }
        if (last) {
          arr.set(index, value);
        } else {
          node = arr.get(index);
        }
      } else {
        throw new ConfigException("--set " + key + ": '" + String.join(".", List.of(parts).subList(0, i))
            + "' is a value, not a mapping");
      }
    }
  }

  /** Binds {@code tree} to {@code type}, naming {@code source} and the dotted key in any error. */
  public static <T> T bind(JsonNode tree, Class<T> type, String source) {
    try {
      return YAML.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      if (e.getReferringClass() == LayerSpec.class) {
        // Its message names the layer type and the options that type takes.
        throw new ConfigException(source + ": unknown key '" + path(e) + "': " + e.getOriginalMessage(), e);
      }
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(source + ": unknown key '" + path(e) + "'; allowed keys here: " + known, e);
    } catch (InvalidFormatException e) {
      throw new ConfigException(source + ": key '" + path(e) + "' has value " + e.getValue()
          + ", expected " + describe(e.getTargetType()), e);
    } catch (MismatchedInputException e) {
      throw new ConfigException(source + ": key '" + path(e) + "': expected " + describe(e.getTargetType())
          + found(e.getOriginalMessage()), e);
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new ConfigException(source + ": key '" + path(e) + "': " + root.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The config as YAML text (what a run writes as its resolved {@code config.yaml}). */
  public static String toYaml(Object config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config as YAML", e);
    }
  }

  /** ", found a string ('adam')" from Jackson's message about a mismatched value, or "" (no Jackson internals). */
  private static String found(String jacksonMessage) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("from (String|Integer|Floating-point|Boolean|Array|Object) value \\(([^)]*)\\)")
        .matcher(jacksonMessage == null ? "" : jacksonMessage);
    if (m.find()) {
      return ", found " + m.group(1).toLowerCase(java.util.Locale.ROOT).replace("floating-point", "number") + " "
          + m.group(2);
    }
    if (jacksonMessage != null && jacksonMessage.contains("START_ARRAY")) {
      return ", found a list";
    }
    if (jacksonMessage != null && jacksonMessage.contains("START_OBJECT")) {
      return ", found a mapping";
    }
    return "";
  }

  /** The dotted key a duplicate-key error is about, or null for any other error. */
  private static String duplicateKey(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null || !m.startsWith("Duplicate field '")) {
      return null;
    }
    String field = m.substring("Duplicate field '".length(), m.indexOf('\'', "Duplicate field '".length()));
    Object context = e.getProcessor() instanceof JsonParser p ? p.getParsingContext() : null;
    if (context instanceof com.fasterxml.jackson.core.JsonStreamContext c) {
      StringBuilder path = new StringBuilder(field);
      for (c = c.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inObject() && c.getCurrentName() != null) {
          path.insert(0, c.getCurrentName() + ".");
        } else if (c.inArray()) {
          path.insert(0, c.getCurrentIndex() + ".");
        }
      }
      return path.toString();
    }
    return field;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('.').append(r.getIndex());
      }
    }
    return sb.toString();
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping (" + type.getSimpleName() + ")";
  }
}
