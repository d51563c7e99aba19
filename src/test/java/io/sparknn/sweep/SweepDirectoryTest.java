package io.sparknn.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.io.ModelFiles;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The best model of a sweep counts only when complete, and survives a stop between keeping it and finishing. */
class SweepDirectoryTest {
  private static final ModelSpec SPEC = new ModelSpec(4, List.of(LayerSpec.linear(4, 3), LayerSpec.of("LogSoftMax")));

  @TempDir
  Path tmp;

  private Sweep sweep() {
    return Sweep.load(SweepFixture.write(tmp.resolve("sweep.yaml"), SweepFixture.yaml(tmp.resolve("out"), "task", 1)),
        List.of());
  }

  @Test
  void aSweepStoppedAfterKeepingItsBestModelStillHasItWhenResumed() throws Exception {
    Sequential model = SPEC.build(5);
    try (SweepDirectory dir = SweepDirectory.open(sweep())) {
      dir.saveBest("t1", SPEC, model);
      dir.keepBest("t1");
      // stopped here: no finish()
    }
    try (SweepDirectory dir = SweepDirectory.open(sweep())) {
      assertTrue(dir.resumed());
      assertTrue(dir.hasBest("t1"), "the resumed sweep still knows its best model");
      Path kept = dir.keepBest("t1");
      assertArrayEquals(model.parameters(),
          ModelFiles.load(kept.toString(), new Configuration()).model().parameters(), 0.0);
      dir.finish();
      assertFalse(Files.exists(dir.resolve(".best")), "the candidates go once the sweep is finished");
    }
  }

  @Test
  void anIncompleteBestModelIsNotKept() throws Exception {
    try (SweepDirectory dir = SweepDirectory.open(sweep())) {
      dir.saveBest("t1", SPEC, SPEC.build(5));
      Files.delete(dir.resolve(".best").resolve("t1").resolve("_COMPLETE"));
      assertFalse(dir.hasBest("t1"), "a model without its marker was not saved to the end");
    }
  }
}
