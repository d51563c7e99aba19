package io.sparknn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  @TempDir Path dir;

  @Test
  void recordsReadBackInOrderWithTheirValues() {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.write(record("epoch", 1, "loss", 0.5, "phase", "train"));
      log.write(record("epoch", 2, "loss", 0.25, "phase", "train"));
    }
    List<Map<String, Object>> records = MetricsLog.read(file);
    assertEquals(2, records.size());
    assertEquals(record("epoch", 1, "loss", 0.5, "phase", "train"), records.get(0));
    assertEquals(List.of("epoch", "loss", "phase"), List.copyOf(records.get(1).keySet()));
    assertEquals(0.25, records.get(1).get("loss"));
  }

  @Test
  void nonFiniteDoublesAreWrittenAsNull() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.write(record("loss", Double.NaN, "grad", Double.POSITIVE_INFINITY, "lr", 0.1f,
          "history", new double[] {1.0, Double.NaN}));
    }
    assertEquals("{\"loss\":null,\"grad\":null,\"lr\":0.1,\"history\":[1.0,null]}\n", Files.readString(file));
    Map<String, Object> back = MetricsLog.read(file).get(0);
    assertTrue(back.containsKey("loss"));
    assertNull(back.get("loss"));
    assertEquals(Arrays.asList(1.0, null), back.get("history"));
  }

  @Test
  void eachRecordIsOnDiskBeforeTheLogIsClosed() {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.write(record("step", 7));
      assertEquals(List.of(record("step", 7)), MetricsLog.read(file));
    }
  }

  @Test
  void readSkipsAnUnterminatedPartialLastLine() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"lo");
    assertEquals(List.of(record("a", 1), record("a", 2)), MetricsLog.read(file));
  }

  @Test
  void readNamesTheFileAndLineOfAMalformedMiddleLine() throws IOException {
    Path file = dir.resolve("broken.jsonl");
    Files.writeString(file, "{\"a\":1}\n{\"a\":\n{\"a\":3}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().contains("broken.jsonl line 2"), e.getMessage());
  }

  @Test
  void openAppendsToAnExistingLog() {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.open(file)) {
      log.write(record("run", 1));
    }
    try (MetricsLog log = MetricsLog.open(file)) {
      log.write(record("run", 2));
    }
    assertEquals(List.of(record("run", 1), record("run", 2)), MetricsLog.read(file));
  }

  @Test
  void openCutsOffAPartialLastLineSoNewRecordsDoNotGlueOntoIt() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"a\":1}\n{\"a\":2,\"cra", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    try (MetricsLog log = MetricsLog.open(file)) {
      log.write(record("a", 3));
    }
    assertEquals("{\"a\":1}\n{\"a\":3}\n", Files.readString(file));
  }

  @Test
  void writeAfterCloseIsRejected() {
    MetricsLog log = MetricsLog.open(dir.resolve("m.jsonl"));
    log.close();
    assertThrows(IllegalStateException.class, () -> log.write(record("a", 1)));
  }

  private static Map<String, Object> record(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
