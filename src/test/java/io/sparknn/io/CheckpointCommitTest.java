package io.sparknn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints are complete only with their marker: whatever a file system's rename does (atomic, copy then
 * delete, false, an exception, a crash half-way), the newest complete checkpoint is what {@code latest()} finds.
 */
class CheckpointCommitTest {
  private static final ModelSpec SPEC = new ModelSpec(4, List.of(LayerSpec.linear(4, 3), LayerSpec.of("LogSoftMax")));

  @TempDir
  Path tmp;

  private static TrainingState state(int epoch) {
    double[] w = new double[15];
    double[] opt = new double[15];
    for (int i = 0; i < w.length; i++) {
      w[i] = epoch + 0.01 * i;
      opt[i] = -epoch - 0.5 * i;
    }
    return new TrainingState(epoch, 0, w, new double[0], opt, 0, 0, Double.NaN);
  }

  private Path checkpoints() {
    return tmp.resolve("run").resolve("checkpoints");
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(checkpoints())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"atomic", "copy", "false", "throw"})
  void aCheckpointIsCommittedWhateverTheRenameDoes(String rename) throws Exception {
    Configuration conf = FlakyRenameFileSystem.conf(rename);
    Checkpoints c = new Checkpoints(FlakyRenameFileSystem.path(tmp.resolve("run")), conf, 2);
    c.write(state(1), 10, SPEC, "name: x\n");
    Checkpoints.Loaded back = new Checkpoints(FlakyRenameFileSystem.path(tmp.resolve("run")), conf, 2)
        .latest().orElseThrow();
    assertEquals(1, back.state().epoch());
    assertArrayEquals(state(1).weights(), back.state().weights(), 0.0);
    assertArrayEquals(state(1).optimizerState(), back.state().optimizerState(), 0.0);
    assertEquals(List.of("ckpt-0000000010"), names(), "no temporary left behind");
    assertTrue(Files.exists(checkpoints().resolve("ckpt-0000000010").resolve("_COMPLETE")), "marker written");
  }

  @Test
  void aCrashHalfwayThroughARenameLeavesTheOlderCheckpointAsTheLatestAndTheLeftoversGoLater() throws Exception {
    String run = FlakyRenameFileSystem.path(tmp.resolve("run"));
    new Checkpoints(run, FlakyRenameFileSystem.conf("copy"), 3).write(state(1), 10, SPEC, "name: x\n");
    Checkpoints crashing = new Checkpoints(run, FlakyRenameFileSystem.conf("crash"), 3);
    assertThrows(FlakyRenameFileSystem.Crash.class, () -> crashing.write(state(2), 20, SPEC, "name: x\n"));
    assertTrue(Files.isDirectory(checkpoints().resolve("ckpt-0000000020")), "half a checkpoint is there");

    Checkpoints resumed = new Checkpoints(run, FlakyRenameFileSystem.conf("copy"), 3);
    Checkpoints.Loaded back = resumed.latest().orElseThrow();
    assertEquals(1, back.state().epoch(), "the complete one, not the half one: " + back.path());
    resumed.write(state(2), 15, SPEC, "name: x\n");
    assertEquals(List.of("ckpt-0000000010", "ckpt-0000000015"), names(),
        "the temporary and the half checkpoint from before the resume are gone");
  }

  @Test
  void anUnreadableNewestCheckpointIsSkippedForTheOneBefore() throws Exception {
    Checkpoints c = new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2);
    c.write(state(1), 10, SPEC, "name: x\n");
    c.write(state(2), 20, SPEC, "name: x\n");
    Path opt = checkpoints().resolve("ckpt-0000000020").resolve("optimizer.bin");
    Files.write(opt, new byte[3]);
    Checkpoints.Loaded back = new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2)
        .latest().orElseThrow();
    assertEquals(1, back.state().epoch());
    assertTrue(back.path().endsWith("ckpt-0000000010"), back.path());
  }

  @Test
  void aCheckpointWhoseOptimizerStateIsNotFiniteIsSkippedForTheOneBefore() throws Exception {
    Checkpoints c = new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2);
    c.write(state(1), 10, SPEC, "name: x\n");
    TrainingState bad = state(2);
    bad.optimizerState()[4] = Double.NaN;
    c.write(bad, 20, SPEC, "name: x\n");
    Checkpoints.Loaded back = new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2)
        .latest().orElseThrow();
    assertEquals(1, back.state().epoch());
    assertTrue(back.path().endsWith("ckpt-0000000010"), back.path());
  }

  @Test
  void aCheckpointWithoutItsMarkerIsNotUsed() throws Exception {
    Checkpoints c = new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2);
    c.write(state(1), 10, SPEC, "name: x\n");
    c.write(state(2), 20, SPEC, "name: x\n");
    Files.delete(checkpoints().resolve("ckpt-0000000020").resolve("_COMPLETE"));
    assertEquals(1, new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2).latest().orElseThrow()
        .state().epoch());
  }

  @Test
  void aCheckpointWrittenBeforeTheMarkerExistedIsStillResumedFrom() throws Exception {
    new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2).write(state(1), 10, SPEC, "name: x\n");
    Path ckpt = checkpoints().resolve("ckpt-0000000010");
    Files.delete(ckpt.resolve("_COMPLETE"));
    for (String f : List.of("training.json", ModelFiles.JSON)) {
      Path p = ckpt.resolve(f);
      Files.writeString(p, Files.readString(p).replaceFirst("\"version\" : \\d+", "\"version\" : 1"));
    }
    Checkpoints c = new Checkpoints(tmp.resolve("run").toString(), new Configuration(), 2);
    assertEquals(1, c.latest().orElseThrow().state().epoch());
    c.write(state(2), 20, SPEC, "name: x\n");
    assertEquals(List.of("ckpt-0000000010", "ckpt-0000000020"), names(), "an old checkpoint counts as complete");
  }
}
