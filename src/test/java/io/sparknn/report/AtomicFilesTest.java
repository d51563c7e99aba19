package io.sparknn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeReplacesAnExistingFileWithExactlyTheNewBytes() throws IOException {
    Path target = dir.resolve("out.bin");
    Files.write(target, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
  }

  @Test
  void writeCreatesMissingParentDirectories() throws IOException {
    Path target = dir.resolve("a/b/c.txt");
    AtomicFiles.writeString(target, "x");
    assertEquals("x", Files.readString(target));
  }

  @Test
  void writeLeavesNoTemporaryFileBehind() throws IOException {
    AtomicFiles.writeString(dir.resolve("one.txt"), "1");
    AtomicFiles.writeString(dir.resolve("one.txt"), "2");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("one.txt")), files.toList());
    }
  }

  @Test
  void writeStringEncodesAsUtf8() throws IOException {
    Path target = dir.resolve("u.txt");
    AtomicFiles.writeString(target, "σ²→∞");
    assertArrayEquals("σ²→∞".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
  }

  @Test
  void writeRejectsNullContentNamingTheTarget() {
    Path target = dir.resolve("n.bin");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.write(target, null));
    assertTrue(e.getMessage().contains("n.bin"), e.getMessage());
  }
}
