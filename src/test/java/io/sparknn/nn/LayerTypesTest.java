package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The layer registry: what it lists, how specs are checked, built, described, counted and written. */
class LayerTypesTest {
  private static final List<String> BUILT_IN = List.of("Linear", "ReLU", "LeakyReLU", "ELU", "SoftPlus", "Sigmoid",
      "Tanh", "SoftMax", "LogSoftMax", "Dropout", "BatchMeanSubtraction", "BatchNormalization");
  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  /** One spec per built-in type, with every option it takes set where it has one. */
  static List<LayerSpec> everyBuiltIn() {
    return List.of(LayerSpec.linear(5, 3).with("compute", "float32"), LayerSpec.of("ReLU"),
        LayerSpec.of("LeakyReLU").with("slope", 0.2), LayerSpec.of("ELU").with("alpha", 0.5), LayerSpec.of("SoftPlus"),
        LayerSpec.of("Sigmoid"), LayerSpec.of("Tanh"), LayerSpec.of("SoftMax"), LayerSpec.of("LogSoftMax"),
        LayerSpec.of("Dropout").with("p", 0.3), LayerSpec.of("BatchMeanSubtraction").with("in", 5).with("alpha", 0.8),
        LayerSpec.of("BatchNormalization").with("in", 5).with("eps", 1e-3).with("momentum", 0.2));
  }

  @Test
  void theRegistryListsTheBuiltInsFirstThenTheServiceLoadedOnes() {
    List<String> names = LayerTypes.names();
    assertEquals(BUILT_IN, names.subList(0, BUILT_IN.size()));
    assertTrue(names.contains("Swish"), "the test jar's META-INF/services entry: " + names);
    assertEquals(BUILT_IN, everyBuiltIn().stream().map(LayerSpec::type).toList());
  }

  @Test
  void typeNamesAreCaseInsensitive() {
    assertSame(LeakyReLU.TYPE, LayerTypes.get("leakyrelu"));
    assertEquals("BatchNormalization", LayerSpec.canonicalType("BATCHNORMALIZATION"));
    assertEquals("Linear 4 -> 2\n", new ModelSpec(4, List.of(new LayerSpec("linear", Map.of("out", 2))))
        .build(1).toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyBuiltIn")
  void eachTypeDescribesWhatItBuildsAndCountsItWithoutBuilding(LayerSpec spec) {
    Module m = spec.build(5);
    assertEquals(spec, LayerSpec.describe(m));
    LayerType.Size size = spec.size(5);
    assertEquals(new LayerType.Size(m.parameterCount(), m.stateCount(), m.outputSize(5)), size);
  }

  @Test
  void aModelBuiltFromSpecsStartsFromTheWeightsOfOneBuiltByHand() {
    ModelSpec spec = new ModelSpec(6, List.of(LayerSpec.linear(6, 5), LayerSpec.of("BatchNormalization"),
        LayerSpec.of("LeakyReLU"), LayerSpec.linear(5, 3), LayerSpec.of("SoftMax")));
    Sequential byHand = new Sequential().add(new Linear(6, 5)).add(new BatchNormalization(5)).add(new LeakyReLU())
        .add(new Linear(5, 3)).add(new SoftMax());
    byHand.reset(17);
    Sequential built = spec.build(17);
    assertArrayEquals(byHand.parameters(), built.parameters(), 0.0);
    assertArrayEquals(byHand.state(), built.state(), 0.0);
    assertArrayEquals(new long[] {built.parameterCount(), built.stateCount()}, spec.countParameters());
  }

  @Test
  void anUnknownTypeIsRefusedListingTheRegisteredOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(4, List.of(LayerSpec.of("Mish"))).build(1));
    assertTrue(e.getMessage().startsWith("model.0: unknown layer type 'Mish'; expected one of [Linear, ReLU"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Swish"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec(4, List.of(LayerSpec.of("Mish")))
        .countParameters());
    assertTrue(e.getMessage().contains("unknown layer type 'Mish'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.describe(new Sequential()));
    assertTrue(e.getMessage().contains("no layer spec for Sequential; describable types are [Linear"),
        e.getMessage());
  }

  @Test
  void anUnknownOptionIsRefusedNamingTheLayerAndItsOptions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerSpec.linear(4, 2).with("foo", 1));
    assertEquals("Linear takes no option 'foo'; its options are [in, out, compute]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("ReLU").with("p", 0.5));
    assertEquals("ReLU takes no option 'p'", e.getMessage());
  }

  @Test
  void aValueOfTheWrongKindIsRefusedNamingTheOptionAndTheKind() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerSpec.of("Linear").with("out", "lots"));
    assertEquals("Linear option 'out' must be an integer, got 'lots'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("Linear").with("out", 2.5));
    assertEquals("Linear option 'out' must be an integer, got 2.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("LeakyReLU").with("slope", true));
    assertEquals("LeakyReLU option 'slope' must be a number, got true", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("Linear").with("out", 3_000_000_000L));
    assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
  }

  @Test
  void valuesTakeTheirOptionsKindAndOrder() {
    LayerSpec written = new LayerSpec("Linear", new java.util.LinkedHashMap<>(Map.of("out", 10L)))
        .with("compute", "float32").with("in", "784");
    assertEquals(LayerSpec.linear(784, 10).with("compute", "float32"), written);
    assertEquals(List.of("in", "out", "compute"), List.copyOf(written.options().keySet()));
    assertEquals(1.0, LayerSpec.of("Dropout").with("p", 1).option("p"));
    assertEquals(784, written.in());
    assertEquals(null, LayerSpec.of("Linear").with("out", 3).in());
  }

  @Test
  void specsReadAndWriteAsTypeThenOptions() throws Exception {
    LayerSpec read = JSON.readValue("{\"out\": 196, \"type\": \"Linear\", \"in\": 784}", LayerSpec.class);
    assertEquals(LayerSpec.linear(784, 196), read);
    assertEquals("{\"type\":\"Linear\",\"in\":784,\"out\":196}", JSON.writeValueAsString(read));
    assertEquals("{\"type\":\"Dropout\",\"p\":1.0}",
        JSON.writeValueAsString(JSON.readValue("{\"type\": \"Dropout\", \"p\": 1}", LayerSpec.class)));
    LayerSpec unknown = JSON.readValue("{\"type\": \"Mish\", \"beta\": 2}", LayerSpec.class);
    assertEquals("{\"type\":\"Mish\",\"beta\":2}", JSON.writeValueAsString(unknown));
  }

  @Test
  void aModelSpecSurvivesJavaSerialisation() throws Exception {
    ModelSpec spec = new ModelSpec(6, List.of(LayerSpec.linear(6, 5).with("compute", "float32"),
        LayerSpec.of("Swish").with("beta", 1.5), LayerSpec.of("Dropout").with("p", 0.1), LayerSpec.linear(5, 2)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ModelSpec back = (ModelSpec) in.readObject();
      assertEquals(spec, back);
      assertArrayEquals(spec.build(3).parameters(), back.build(3).parameters(), 0.0);
    }
  }
}
