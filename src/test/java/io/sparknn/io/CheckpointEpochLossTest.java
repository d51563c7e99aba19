package io.sparknn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.train.TrainingState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint keeps the interrupted epoch's loss sum and rows and the first iteration's loss, and one written
 * without them still loads.
 */
class CheckpointEpochLossTest {
  private static final ModelSpec SPEC = new ModelSpec(3, List.of(LayerSpec.linear(3, 2), LayerSpec.of("SoftMax")));

  @TempDir
  Path tmp;

  private TrainingState state() {
    Sequential model = SPEC.build(1);
    return new TrainingState(1, 4, model.parameters(), model.state(), new double[] {0.5, -0.25}, 12.345678901234567,
        400, 2.302585092994046);
  }

  @Test
  void theEpochsLossSumAndRowsSurviveACheckpoint() {
    Checkpoints c = new Checkpoints(tmp.toString(), new Configuration(), 2);
    c.write(state(), 14, SPEC, "name: x\n");
    TrainingState back = c.latest().orElseThrow().state();
    assertEquals(12.345678901234567, back.epochLossSum(), 0.0);
    assertEquals(400, back.epochLossRows());
    assertEquals(2.302585092994046, back.firstLoss(), 0.0);
    assertEquals(4, back.step());
  }

  @Test
  void aCheckpointWrittenBeforeTheFieldsExistedLoadsWithAnEmptySum() throws Exception {
    Checkpoints c = new Checkpoints(tmp.toString(), new Configuration(), 2);
    Path ckpt = Path.of(c.write(state(), 14, SPEC, "name: x\n").replaceFirst("^file:", ""));
    Path json = ckpt.resolve("training.json");
    String old = Files.readString(json).replaceAll(",\\s*\"epoch_loss_sum\"\\s*:\\s*[^,}]+", "")
        .replaceAll(",\\s*\"epoch_loss_rows\"\\s*:\\s*[^,}]+", "")
        .replaceAll(",\\s*\"first_loss\"\\s*:\\s*[^,}]+", "");
    assertEquals(false, old.contains("epoch_loss") || old.contains("first_loss"), old);
    Files.writeString(json, old, StandardCharsets.UTF_8);
    TrainingState back = c.latest().orElseThrow().state();
    assertEquals(0.0, back.epochLossSum(), 0.0);
    assertEquals(0, back.epochLossRows());
    assertTrue(Double.isNaN(back.firstLoss()), "unknown, so the epoch rule is off");
    assertEquals(4, back.step());
  }
}
