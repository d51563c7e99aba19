package io.sparknn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drawing trials: seeded, within bounds, grids complete, values written so the config reads them back exactly. */
class SearchSpaceTest {
  private static JsonNode yaml(String text) {
    try {
      return ConfigLoader.mapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Param param(String name, String spec, boolean grid) {
    return Param.parse(name, yaml(spec), grid, "test.yaml");
  }

  private static final List<Param> RANDOM = List.of(
      param("optimizer.lr", "{loguniform: [0.001, 0.1]}", false),
      param("optimizer.momentum", "{uniform: [0.5, 0.9]}", false),
      param("model.0.out", "{int: [16, 20]}", false),
      param("batch_size", "[32, 64, 128]", false),
      param("activation", "{choice: {relu: {model.1.type: ReLU, model.3.type: ReLU}, "
          + "tanh: {model.1.type: Tanh, model.3.type: Tanh}}}", false));

  @Test
  void randomDrawsAreSeededAndTrialIDoesNotDependOnTheNumberOfTrials() {
    SearchSpace ten = SearchSpace.random(RANDOM, 10);
    assertEquals(ten.draw(7), ten.draw(7));
    assertNotEquals(ten.draw(7), ten.draw(8));
    assertEquals(ten.draw(7).subList(0, 4), SearchSpace.random(RANDOM, 4).draw(7));
    // Adding a parameter leaves the others' draws as they were.
    List<Param> more = new java.util.ArrayList<>(RANDOM);
    more.add(0, param("optimizer.weight_decay", "{uniform: [0, 0.001]}", false));
    LinkedHashMap<String, Param.Value> before = ten.draw(7).get(3);
    LinkedHashMap<String, Param.Value> after = SearchSpace.random(more, 10).draw(7).get(3);
    for (String k : before.keySet()) {
      assertEquals(before.get(k), after.get(k), k);
    }
  }

  @Test
  void randomDrawsStayWithinTheirBoundsAndCoverThem() {
    List<LinkedHashMap<String, Param.Value>> draws = SearchSpace.random(RANDOM, 4000).draw(11);
    int belowGeometricMean = 0;
    Set<Long> ints = new HashSet<>();
    Set<String> batches = new HashSet<>();
    Set<String> activations = new HashSet<>();
    for (LinkedHashMap<String, Param.Value> d : draws) {
      double lr = d.get("optimizer.lr").label().doubleValue();
      assertTrue(lr >= 0.001 && lr <= 0.1, "lr " + lr);
      belowGeometricMean += lr < 0.01 ? 1 : 0;
      double m = d.get("optimizer.momentum").label().doubleValue();
      assertTrue(m >= 0.5 && m < 0.9, "momentum " + m);
      long out = d.get("model.0.out").label().longValue();
      assertTrue(out >= 16 && out <= 20, "out " + out);
      ints.add(out);
      batches.add(d.get("batch_size").label().toString());
      Param.Value a = d.get("activation");
      activations.add(a.label().textValue());
      String type = a.label().textValue().equals("relu") ? "ReLU" : "Tanh";
      assertEquals(type, a.assignments().get("model.1.type").textValue());
      assertEquals(type, a.assignments().get("model.3.type").textValue());
    }
    // Log-uniform: half the draws fall below the geometric mean of the bounds (0.01), not a tenth of them.
    double fraction = belowGeometricMean / 4000.0;
    assertTrue(Math.abs(fraction - 0.5) < 0.04, "fraction below 0.01: " + fraction);
    assertEquals(Set.of(16L, 17L, 18L, 19L, 20L), ints, "both ends of an int range are drawn");
    assertEquals(Set.of("32", "64", "128"), batches);
    assertEquals(Set.of("relu", "tanh"), activations);
  }

  @Test
  void aGridIsEveryCombinationLastParameterFastest() {
    List<Param> params = List.of(param("optimizer.lr", "{grid: [0.1, 0.01, 0.001]}", true),
        param("batch_size", "[64, 128]", true), param("model.0.out", "{int: [8, 9]}", true));
    SearchSpace grid = SearchSpace.grid(params);
    assertEquals(12, grid.trials());
    List<LinkedHashMap<String, Param.Value>> all = grid.draw(0);
    assertEquals(12, all.size());
    assertEquals(12, new HashSet<>(all).size(), "no combination twice");
    assertEquals(List.of("0.1", "64", "8"), labels(all.get(0)));
    assertEquals(List.of("0.1", "64", "9"), labels(all.get(1)));
    assertEquals(List.of("0.1", "128", "8"), labels(all.get(2)));
    assertEquals(List.of("0.001", "128", "9"), labels(all.get(11)));
    assertEquals(all, grid.draw(99), "a grid does not depend on the seed");
  }

  private static List<String> labels(LinkedHashMap<String, Param.Value> d) {
    return d.values().stream().map(v -> v.label().toString()).toList();
  }

  @Test
  void distributionsAreCheckedNamingTheParameter() {
    for (String[] bad : new String[][] {
        {"{normal: [0, 1]}", "unknown distribution 'normal'"},
        {"{uniform: [1, 1]}", "low < high"},
        {"{loguniform: [0, 1]}", "> 0"},
        {"{int: [1.5, 3]}", "two integers"},
        {"{choice: []}", "non-empty"},
        {"{choice: {relu: ReLU}}", "named option must be a mapping"},
        {"{uniform: [0, 1], int: [0, 1]}", "exactly one of"},
        {"{grid: [1, 2]}", "grid search"}}) {
      ConfigException e = assertThrows(ConfigException.class, () -> param("optimizer.lr", bad[0], false), bad[0]);
      assertTrue(e.getMessage().contains("search.params.optimizer.lr") && e.getMessage().contains(bad[1]),
          e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class,
        () -> param("optimizer.lr", "{loguniform: [0.001, 0.1]}", true));
    assertTrue(e.getMessage().contains("cannot enumerate"), e.getMessage());
  }

  @Test
  void drawnValuesReachTheConfigExactly() {
    for (double v : new double[] {1e-4, 0.1 + 0.2, 0.04748695185139722, 3.0e12, 7.0}) {
      ObjectNode tree = (ObjectNode) yaml("{optimizer: {lr: 0.1}}");
      ConfigLoader.set(tree, TrialPlanner.assignment("optimizer.lr", DoubleNode.valueOf(v)));
      assertEquals(v, tree.get("optimizer").get("lr").doubleValue(), 0.0, TrialPlanner.valueText(DoubleNode.valueOf(v)));
    }
    ObjectNode tree = (ObjectNode) yaml("{model: [{type: Linear, out: 3}, {type: ReLU}]}");
    ConfigLoader.set(tree, TrialPlanner.assignment("model.1", yaml("{type: LeakyReLU, slope: 0.2}")));
    ConfigLoader.set(tree, TrialPlanner.assignment("name", yaml("'yes'")));
    assertEquals(0.2, tree.get("model").get(1).get("slope").doubleValue(), 0.0);
    assertEquals("yes", tree.get("name").textValue(), "a string YAML would read as a boolean stays a string");
  }
}
