package io.sparknn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A model directory is complete only with its marker, written last; loads refuse one without it. */
class ModelCommitTest {
  private static final ModelSpec SPEC = new ModelSpec(4, List.of(LayerSpec.linear(4, 3), LayerSpec.of("LogSoftMax")));

  @TempDir
  Path tmp;

  private List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"atomic", "copy", "false", "throw"})
  void aModelIsSavedWhateverTheRenameDoes(String rename) throws Exception {
    Configuration conf = FlakyRenameFileSystem.conf(rename);
    Sequential model = SPEC.build(3);
    String dir = FlakyRenameFileSystem.path(tmp.resolve("m"));
    ModelFiles.save(dir, SPEC, model, conf);
    assertArrayEquals(model.parameters(), ModelFiles.load(dir, conf).model().parameters(), 0.0);
    assertTrue(Files.exists(tmp.resolve("m").resolve("_COMPLETE")));
    assertTrue(names(tmp).equals(List.of("m")), "no temporary left: " + names(tmp));
  }

  @Test
  void aModelHalfCopiedByACrashIsRefusedOnLoadAndMayBeSavedAgain() throws Exception {
    String dir = FlakyRenameFileSystem.path(tmp.resolve("m"));
    Sequential model = SPEC.build(3);
    assertThrows(FlakyRenameFileSystem.Crash.class,
        () -> ModelFiles.save(dir, SPEC, model, FlakyRenameFileSystem.conf("crash")));
    Configuration conf = FlakyRenameFileSystem.conf("copy");
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, conf));
    assertTrue(e.getMessage().contains(tmp.resolve("m").toString()) && e.getMessage().contains("_COMPLETE"),
        e.getMessage());
    ModelFiles.save(dir, SPEC, model, conf);
    assertArrayEquals(model.parameters(), ModelFiles.load(dir, conf).model().parameters(), 0.0);
    assertTrue(names(tmp).equals(List.of("m")), "the crashed save's temporary is cleaned up: " + names(tmp));
  }

  @Test
  void aModelDirectoryWithoutTheMarkerIsRefusedNamingIt() throws Exception {
    String dir = tmp.resolve("m").toString();
    ModelFiles.save(dir, SPEC, SPEC.build(3), new Configuration());
    Files.delete(tmp.resolve("m").resolve("_COMPLETE"));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, new Configuration()));
    assertTrue(e.getMessage().startsWith(dir) && e.getMessage().contains("_COMPLETE"), e.getMessage());
  }

  @Test
  void aModelWrittenBeforeTheMarkerExistedStillLoadsAndIsNeverOverwritten() throws Exception {
    Path m = tmp.resolve("m");
    Sequential model = SPEC.build(3);
    ModelFiles.save(m.toString(), SPEC, model, new Configuration());
    Files.deleteIfExists(m.resolve("_COMPLETE"));
    Path json = m.resolve(ModelFiles.JSON);
    Files.writeString(json, Files.readString(json).replaceFirst("\"version\" : \\d+", "\"version\" : 1"));
    assertArrayEquals(model.parameters(),
        ModelFiles.load(m.toString(), new Configuration()).model().parameters(), 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.toString(), SPEC, SPEC.build(4), new Configuration()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void aDirectoryThatIsNotAModelIsNeverWrittenOver() throws Exception {
    Path m = tmp.resolve("m");
    Files.createDirectories(m);
    Files.writeString(m.resolve("notes.txt"), "mine");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(m.toString(), SPEC, SPEC.build(4), new Configuration()));
    assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
    assertTrue(Files.exists(m.resolve("notes.txt")));
  }
}
