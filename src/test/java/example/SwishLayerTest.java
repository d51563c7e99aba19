package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.swish.Swish;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.io.ModelFiles;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerTypes;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.testkit.ModuleAssertions;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layer from outside sparknn, registered through ServiceLoader, named in a config like a built-in one. */
class SwishLayerTest {
  private static final String CONFIG = """
      seed: 5
      model:
        - {type: Linear, out: 8}
        - {type: swish, beta: 1.5}
        - {type: Linear, out: 3}
        - {type: SoftMax}
      """;

  @TempDir
  Path tmp;

  static TrainPlan plan(String yaml, int inputWidth) throws Exception {
    TrainConfig c = ConfigLoader.bind(ConfigLoader.mapper().readTree(yaml), TrainConfig.class, "swish.yaml");
    return TrainPlan.of(c, inputWidth, "swish.yaml");
  }

  private static TrainPlan plan(String yaml) throws Exception {
    return plan(yaml, 6);
  }

  @Test
  void aConfigNamesItAndTheModelBuildsDescribesAndCountsIt() throws Exception {
    TrainPlan p = plan(CONFIG);
    Sequential model = p.model().build(5);
    assertEquals("Linear 6 -> 8\nSwish 1.5\nLinear 8 -> 3\nSoftMax\n", model.toString());
    ModelSpec described = ModelSpec.describe(model, 6);
    assertEquals(LayerSpec.of("Swish").with("beta", 1.5), described.layers().get(1));
    assertArrayEquals(model.parameters(), described.build(5).parameters(), 0.0);
    assertArrayEquals(new long[] {model.parameterCount(), model.stateCount()}, p.model().countParameters());
    assertTrue(ConfigLoader.toYaml(p.config()).contains("- type: swish\n  beta: 1.5\n"),
        ConfigLoader.toYaml(p.config()));
  }

  @Test
  void itsOptionsAreCheckedLikeABuiltInsAndHaveTheirDefault() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> plan(CONFIG.replace("beta: 1.5", "gamma: 1")));
    assertTrue(e.getMessage().contains(
        "unknown key 'model.1.gamma': Swish takes no option 'gamma'; its options are [beta]"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> plan(CONFIG.replace("beta: 1.5", "beta: steep")));
    assertTrue(e.getMessage().contains("key 'model.1.beta' has value steep, expected a number"), e.getMessage());
    assertEquals("Swish 1.0", plan(CONFIG.replace(", beta: 1.5", "")).model().build(1).modules().get(1)
        .toString());
  }

  @Test
  void aBuiltInLayersUnknownOptionAndBadValueNameTheKeyAndTheLayer() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan(CONFIG.replace("out: 8", "out: 8, foo: 1")));
    assertEquals("swish.yaml: unknown key 'model.0.foo': Linear takes no option 'foo'; its options are "
        + "[in, out, compute]", e.getMessage());
    e = assertThrows(ConfigException.class, () -> plan(CONFIG.replace("out: 8", "out: eight")));
    assertEquals("swish.yaml: key 'model.0.out' has value eight, expected an integer", e.getMessage());
  }

  @Test
  void aModelFileWithItSavesAndLoads() throws Exception {
    TrainPlan p = plan(CONFIG);
    Sequential model = p.model().build(5);
    String dir = tmp.resolve("model").toString();
    ModelFiles.save(dir, p.model(), model, new Configuration());
    ModelFiles.Loaded loaded = ModelFiles.load(dir, new Configuration());
    assertEquals(p.model(), loaded.spec());
    assertArrayEquals(model.parameters(), loaded.model().parameters(), 0.0);
  }

  @Test
  void itsGradientIsRight() {
    ModuleAssertions.assertGradients(new Swish(1.5), 4, 5, 1);
  }

  @Test
  void theRegistryListsItAfterTheBuiltIns() {
    List<String> names = LayerTypes.names();
    assertEquals("Swish", names.get(names.size() - 1), names.toString());
  }
}
