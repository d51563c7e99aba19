package io.sparknn.nn;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link LayerSpec} from the mapping Jackson parsed ({@code {type: Linear, out: 10}}). An option the
 * layer does not take, or a value of the wrong kind, is reported as the Jackson exception a typed record
 * would have raised, with the option in its path: config readers then name the dotted key
 * ({@code model.0.out}) and treat an unknown option as any other unknown key.
 */
final class LayerSpecReader {
  private LayerSpecReader() {}

  static LayerSpec read(Object json) throws JsonMappingException {
    if (!(json instanceof Map<?, ?> fields)) {
      throw new IllegalArgumentException("a layer is a mapping such as {type: Linear, out: 10}, got "
          + (json instanceof String ? "'" + json + "'" : json));
    }
    Map<String, Object> options = new LinkedHashMap<>();
    fields.forEach((k, v) -> options.put(String.valueOf(k), v));
    Object typeValue = options.remove("type");
    String type = typeValue == null ? null : typeValue.toString();
    Optional<LayerType> t = LayerTypes.find(type);
    if (t.isPresent()) {
      for (Map.Entry<String, Object> e : options.entrySet()) {
        check(t.get(), e.getKey(), e.getValue(), fields);
      }
    }
    return new LayerSpec(type, options);
  }

  private static void check(LayerType t, String key, Object value, Object fields) throws JsonMappingException {
    LayerOption<?> option = t.options().stream().filter(o -> o.name().equals(key)).findFirst().orElse(null);
    JsonMappingException e = null;
    if (option == null) {
      List<Object> known = new ArrayList<>(List.of("type"));
      t.options().forEach(o -> known.add(o.name()));
      e = new UnrecognizedPropertyException(null, LayerSpec.noSuchOption(t, key), null, LayerSpec.class, key, known);
    } else if (value != null) {
      try {
        option.convert(t.name(), value);
      } catch (IllegalArgumentException bad) {
        e = new InvalidFormatException(null, bad.getMessage(), value, option.kind());
      }
    }
    if (e != null) {
      e.prependPath(fields, key);
      throw e;
    }
  }
}
