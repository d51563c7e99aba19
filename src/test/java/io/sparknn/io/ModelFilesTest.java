package io.sparknn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  private static final ModelSpec SPEC = new ModelSpec(6, List.of(LayerSpec.linear(6, 5),
      LayerSpec.of("BatchNormalization"), LayerSpec.of("ELU"),
      LayerSpec.of("Dropout").with("p", 0.25), LayerSpec.linear(5, 3),
      LayerSpec.of("LogSoftMax")));
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  private String saved() {
    Sequential model = SPEC.build(9);
    for (int i = 0; i < model.state().length; i++) {
      model.state()[i] = 0.1 * i;
    }
    String dir = tmp.resolve("model").toString();
    ModelFiles.save(dir, SPEC, model, CONF);
    return dir;
  }

  @Test
  void saveThenLoadIsBitIdentical() {
    Sequential model = SPEC.build(9);
    model.state()[3] = Math.PI;
    String dir = tmp.resolve("m").toString();
    ModelFiles.save(dir, SPEC, model, CONF);
    ModelFiles.Loaded loaded = ModelFiles.load(dir, CONF);
    assertEquals(SPEC, loaded.spec());
    assertArrayEquals(model.parameters(), loaded.model().parameters(), 0.0);
    assertArrayEquals(model.state(), loaded.model().state(), 0.0);
    assertEquals(8L * (model.parameterCount() + model.stateCount()),
        tmp.resolve("m").resolve(ModelFiles.WEIGHTS).toFile().length());
  }

  @Test
  void aConvolutionalModelKeepsItsInputShapeAndAFlatModelsFileHasNone() throws Exception {
    ModelSpec cnn = new ModelSpec(Shape.image(2, 6, 5), List.of(
        LayerSpec.of("Conv2d").with("out_channels", 3).with("kernel_size", 3).with("padding", 1)
            .with("compute", "float32"),
        LayerSpec.of("MaxPool2d").with("kernel_size", 2), LayerSpec.of("Flatten"), LayerSpec.linear(18, 4)));
    Sequential model = cnn.build(3);
    String dir = tmp.resolve("cnn").toString();
    ModelFiles.save(dir, cnn, model, CONF);
    assertTrue(Files.readString(Path.of(dir, ModelFiles.JSON)).contains("\"input_shape\" : [ 2, 6, 5 ]"));
    ModelFiles.Loaded loaded = ModelFiles.load(dir, CONF);
    assertEquals(cnn, loaded.spec());
    assertArrayEquals(model.parameters(), loaded.model().parameters(), 0.0);
    String flat = saved();
    assertTrue(!Files.readString(Path.of(flat, ModelFiles.JSON)).contains("input_shape"));
  }

  @Test
  void anExistingDirectoryIsNeverOverwritten() throws Exception {
    String dir = saved();
    byte[] before = Files.readAllBytes(Path.of(dir, ModelFiles.WEIGHTS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFiles.save(dir, SPEC, SPEC.build(1), CONF));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(Path.of(dir, ModelFiles.WEIGHTS)));
  }

  @Test
  void aWeightsFileOfTheWrongLengthIsRefusedNamingIt() throws Exception {
    String dir = saved();
    Path w = Path.of(dir, ModelFiles.WEIGHTS);
    byte[] all = Files.readAllBytes(w);
    Files.write(w, java.util.Arrays.copyOf(all, all.length - 8));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("bytes"), e.getMessage());
  }

  @Test
  void jsonClaimingOtherSizesIsRefused() throws Exception {
    String dir = saved();
    Path json = Path.of(dir, ModelFiles.JSON);
    String text = Files.readString(json).replaceFirst("\"parameters\" : \\d+", "\"parameters\" : 12");
    Files.writeString(json, text);
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(e.getMessage().contains("claims 12 parameters"), e.getMessage());
  }

  @Test
  void anAbsurdLayerIsRefusedBeforeAnyAllocation() throws Exception {
    String dir = saved();
    Path json = Path.of(dir, ModelFiles.JSON);
    String text = Files.readString(json).replace("\"out\" : 3", "\"out\" : 2000000000");
    Files.writeString(json, text);
    long before = allocated();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(allocated() - before < 64L << 20, "no big allocation");
    assertTrue(e.getMessage().contains("model.json"), e.getMessage());
  }

  @Test
  void aLayerTypeOrOptionThisBuildDoesNotKnowIsRefusedNamingIt() throws Exception {
    String dir = saved();
    Path json = Path.of(dir, ModelFiles.JSON);
    String text = Files.readString(json);
    Files.writeString(json, text.replace("\"p\" : 0.25", "\"q\" : 0.25"));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(e.getMessage().contains("model.json") && e.getMessage().endsWith(
        "not a valid model description: Dropout takes no option 'q'; its options are [p]"), e.getMessage());
    Files.writeString(json, text.replace("\"ELU\"", "\"Mish\""));
    e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(e.getMessage().contains("unknown layer type 'Mish'; expected one of [Linear"), e.getMessage());
  }

  @Test
  void aFileOfAnotherFormatIsRefused() throws Exception {
    String dir = saved();
    Files.writeString(Path.of(dir, ModelFiles.JSON), "{\"format\": \"pickle\"}");
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(e.getMessage().contains("model.json"), e.getMessage());
  }

  @Test
  void aModelHoldingNaNOrInfinityIsRefusedNamingTheFileAndTheFirstBadValue() throws Exception {
    String dir = saved();
    Path w = Path.of(dir, ModelFiles.WEIGHTS);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(w)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putDouble(8 * 7, Double.POSITIVE_INFINITY);
    b.putDouble(8 * 11, Double.NaN);
    Files.write(w, b.array());
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(dir, CONF));
    assertTrue(e.getMessage().contains("weights.bin: value 7 is Infinity (parameter 7)"), e.getMessage());
  }

  @Test
  void aMissingModelIsNamed() {
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> ModelFiles.load(tmp.resolve("none").toString(), CONF));
    assertTrue(e.getMessage().contains("none"), e.getMessage());
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
