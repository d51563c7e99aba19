package io.sparknn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sweep files are validated before Spark starts, every error naming the key. */
class SweepSpecTest {
  static final String BASE = """
      base:
        seed: 5
        data: {limit: 1200, validation: 300, partitions: 2}
        model:
          - {type: Linear, in: 784, out: 16}
          - {type: LeakyReLU}
          - {type: Dropout, p: 0.1}
          - {type: Linear, out: 10}
          - {type: SoftMax}
        optimizer: {type: sgd, lr: 0.1, momentum: 0.9}
        batch_size: 100
        epochs: 3
      """;

  private static Sweep sweep(String yaml, String... sets) {
    ObjectNode tree;
    try {
      tree = (ObjectNode) ConfigLoader.mapper().readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    for (String s : sets) {
      ConfigLoader.set(tree, s);
    }
    return Sweep.of(tree, "sweep.yaml");
  }

  private static final String OK = BASE + """
      search:
        trials: 5
        params:
          optimizer.lr: {loguniform: [0.01, 0.3]}
          model.2.p: [0.0, 0.2]
      """;

  @Test
  void aBaseFileIsReadRelativeToTheSweepFileNotTheWorkingDirectory(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.copy(Path.of("conf/mnist-mlp.yaml"), dir.resolve("train.yaml"));
    Path file = dir.resolve("sweep.yaml");
    java.nio.file.Files.writeString(file, "base: train.yaml\nsearch:\n  trials: 2\n  params:\n"
        + "    optimizer.lr: [0.05, 0.1]\n");
    assertEquals(0.1, Sweep.load(file, List.of()).base().get("optimizer").get("lr").asDouble());
  }

  @Test
  void theExampleSweepCoversLrMomentumBatchSizeActivationAndDropoutInAtLeastSixteenTrials() {
    Sweep s = Sweep.load(Path.of("conf/sweep-mnist.yaml"), List.of());
    List<Trial> trials = TrialPlanner.plan(s);
    assertTrue(trials.size() >= 16, trials.size() + " trials");
    assertTrue(trials.stream().allMatch(Trial::valid), "every planned trial is a valid config");
    assertEquals(List.of(1, 3, 9), s.rungs());
    assertEquals(Sweep.Mode.TASK, s.mode());
    Set<String> keys = trials.stream().flatMap(t -> t.config().keySet().stream()).collect(Collectors.toSet());
    assertEquals(Set.of("optimizer.lr", "optimizer.momentum", "batch_size", "model.1.type", "model.3.type",
        "model.4.p"), keys);
    // The named choice sets both activations together, and the layers really change.
    for (Trial t : trials) {
      String a = t.train().model().get(1).type();
      assertEquals(a, t.train().model().get(3).type());
      assertEquals(t.params().get("activation").textValue(), switch (a) {
        case "LeakyReLU" -> "leaky_relu";
        case "ReLU" -> "relu";
        case "Tanh" -> "tanh";
        case "ELU" -> "elu";
        default -> a;
      });
      assertEquals(9, t.train().epochs(), "a trial's epochs are the budget");
      assertEquals(12000, t.train().data().limit());
    }
    assertTrue(trials.stream().map(t -> t.params().get("activation").textValue()).distinct().count() >= 3);
  }

  @Test
  void overridesOnTheCommandLineReachTheSweep() {
    Sweep s = Sweep.load(Path.of("conf/sweep-mnist.yaml"),
        List.of("mode=distributed", "parallelism=3", "budget.epochs=3", "search.trials=4", "early_stopping.enabled=false"));
    assertEquals(Sweep.Mode.DISTRIBUTED, s.mode());
    assertEquals(3, s.parallelism());
    assertEquals(List.of(3), s.rungs());
    assertEquals(4, TrialPlanner.plan(s).size());
  }

  @ParameterizedTest(name = "{0} -> mentions {1}")
  @CsvSource(delimiter = '|', value = {
    "objectiv.metric=val_loss|unknown key 'objectiv'",
    "early_stopping.facter=2|unknown key 'early_stopping.facter'",
    "search.sampler=tpe|unknown key 'search.sampler'",
    "base.optimizer.lrr=0.1|unknown key 'optimizer.lrr'",
    "search.params.optimizer\\.lrr=[0.1]|search.params.optimizer.lrr",
    "mode=cluster|[task, distributed]",
    "objective.metric=accuracy|objective.metric",
    "objective.goal=up|[maximize, minimize]",
    "budget.epochs=0|budget.epochs",
    "early_stopping.factor=1|early_stopping.factor",
    "early_stopping.min_epochs=9|early_stopping.min_epochs",
    "parallelism=-1|parallelism",
    "search.type=bayes|[random, grid]",
    "search.trials=0|search.trials",
    "base.optimizer.lr=-1|'optimizer.lr'",
  })
  void mistakesAreRefusedNamingTheKey(String set, String mentions) {
    // A dotted parameter name cannot be reached by --set; build that case by hand.
    String yaml = set.startsWith("search.params.optimizer\\.lrr")
        ? OK.replace("optimizer.lr: {loguniform", "optimizer.lrr: {loguniform") : OK;
    String[] sets = set.startsWith("search.params.optimizer\\.lrr") ? new String[0] : new String[] {set};
    ConfigException e = assertThrows(ConfigException.class, () -> TrialPlanner.plan(sweep(yaml, sets)));
    assertTrue(e.getMessage().contains(mentions), e.getMessage());
    assertTrue(e.getMessage().startsWith("sweep.yaml"), e.getMessage());
  }

  @Test
  void aParameterNamingAKeyTheConfigDoesNotHaveRefusesTheWholeSweep() {
    for (String[] bad : new String[][] {
        {"model.9.type: [ReLU]", "search.params.model.9.type", "outside the list"},
        {"model.0.out.x: [3]", "search.params.model.0.out.x", "not a mapping"},
        {"act: {choice: {a: {model.1: {type: LeakyReLU, slopee: 0.1}}}}", "search.params.act", "slopee"},
        {"epochs: [1, 2]", "search.params.epochs", "budget.epochs"}}) {
      String yaml = BASE + "search:\n  trials: 2\n  params:\n    " + bad[0] + "\n";
      ConfigException e = assertThrows(ConfigException.class, () -> TrialPlanner.plan(sweep(yaml)), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains(bad[2]), e.getMessage());
    }
  }

  @Test
  void aBadValueFailsOnlyTheTrialsThatDrawIt() {
    String yaml = BASE + """
        search:
          type: grid
          params:
            model.2.p: [0.1, 1.5]
            batch_size: [50, 0]
        """;
    List<Trial> trials = TrialPlanner.plan(sweep(yaml));
    assertEquals(4, trials.size());
    assertTrue(trials.get(0).valid());
    assertNull(trials.get(0).invalid());
    assertTrue(trials.get(1).invalid().contains("'batch_size'"), trials.get(1).invalid());
    assertTrue(trials.get(2).invalid().contains("Dropout p must be in [0, 1)"), trials.get(2).invalid());
    assertFalse(trials.get(3).valid());
    assertEquals(List.of("model.2.p=0.1", "batch_size=50"), trials.get(0).overrides());
  }

  @Test
  void aResolvedSweepIsItselfAValidSweepFileAndNamesWhatDiffers() {
    Sweep s = sweep(OK);
    Sweep again = Sweep.of(s.resolved().deepCopy(), "sweep.yaml (resolved)");
    assertNull(Sweep.firstDifference(s.resolved(), again.resolved()));
    assertEquals(TrialPlanner.plan(s).stream().map(Trial::config).toList(),
        TrialPlanner.plan(again).stream().map(Trial::config).toList());
    assertNull(Sweep.firstDifference(s.resolved(), sweep(OK, "mode=distributed", "parallelism=4").resolved()),
        "mode and parallelism may change when resuming");
    assertEquals("seed", Sweep.firstDifference(s.resolved(), sweep(OK, "seed=9").resolved()));
    assertEquals("base", Sweep.firstDifference(s.resolved(), sweep(OK, "base.batch_size=50").resolved()));
  }
}
