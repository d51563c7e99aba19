package io.sparknn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rungs and promotions of asynchronous successive halving. */
class SuccessiveHalvingTest {
  private static final SweepObjective ACCURACY = new SweepObjective("val_accuracy", true);

  @Test
  void rungsGrowByTheFactorUpToTheBudget() {
    assertEquals(List.of(1, 3, 9), SuccessiveHalving.rungs(9, 3, 1, true));
    assertEquals(List.of(1, 3, 9, 10), SuccessiveHalving.rungs(10, 3, 1, true));
    assertEquals(List.of(2, 6, 9), SuccessiveHalving.rungs(9, 3, 2, true));
    assertEquals(List.of(1, 2, 4, 8), SuccessiveHalving.rungs(8, 2, 1, true));
    assertEquals(List.of(9), SuccessiveHalving.rungs(9, 3, 1, false), "switched off: one rung, the budget");
  }

  /** Runs {@code h} one step at a time (one slot), reporting {@code values[rung][trial]}; returns the steps. */
  private static List<String> drive(SuccessiveHalving h, Map<String, double[]> values) {
    List<String> steps = new ArrayList<>();
    for (Optional<SuccessiveHalving.Step> s = h.next(); s.isPresent(); s = h.next()) {
      SuccessiveHalving.Step step = s.get();
      steps.add(step.trial() + ":" + step.fromEpochs() + "->" + step.toEpochs());
      h.report(step.trial(), step.rung(), values.get(step.trial())[step.rung()]);
    }
    return steps;
  }

  @Test
  void theBestThirdOfEachRungIsPromotedAsResultsArrive() {
    List<String> trials = List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8");
    Map<String, double[]> v = Map.of("t0", new double[] {0.5}, "t1", new double[] {0.9, 0.92},
        "t2", new double[] {0.3}, "t3", new double[] {0.8, 0.85}, "t4", new double[] {0.1},
        "t5", new double[] {0.7}, "t6", new double[] {0.6}, "t7", new double[] {0.95, 0.97, 0.98},
        "t8", new double[] {0.2});
    List<String> steps = drive(new SuccessiveHalving(List.of(1, 3, 9), 3, ACCURACY, trials), v);
    assertEquals(List.of(
        "t0:0->1", "t1:0->1", "t2:0->1",
        "t1:1->3",                          // 3 results: the best one (t1) goes on
        "t3:0->1", "t4:0->1", "t5:0->1",
        "t3:1->3",                          // 6 results: the best two are t1 and t3
        "t6:0->1", "t7:0->1",
        "t7:1->3",                          // 8 results: t7 is now in the best two
        "t7:3->9",                          // 3 results at rung 3: the best (t7) trains the whole budget
        "t8:0->1"), steps);
    // The trials promoted are the best third of each rung: {t7, t1, t3} at 1 epoch, {t7} at 3.
    // Epochs: 9 trials x 1 + 3 x (3 - 1) + 1 x (9 - 3) = 21, against 81 without early stopping.
    int epochs = steps.stream().mapToInt(s -> {
      String[] e = s.substring(s.indexOf(':') + 1).split("->");
      return Integer.parseInt(e[1]) - Integer.parseInt(e[0]);
    }).sum();
    assertEquals(21, epochs);
  }

  @Test
  void aLowerLossIsBetterWhenMinimising() {
    SweepObjective loss = new SweepObjective("val_loss", false);
    SuccessiveHalving h = new SuccessiveHalving(List.of(1, 3), 3, loss, List.of("a", "b", "c"));
    List<String> steps = drive(h, Map.of("a", new double[] {0.5, 0.4}, "b", new double[] {0.2, 0.1},
        "c", new double[] {0.9, 0.8}));
    assertEquals(List.of("a:0->1", "b:0->1", "c:0->1", "b:1->3"), steps);
  }

  @Test
  void aFailedTrialCountsAsTheWorstAndIsNeverPromoted() {
    SuccessiveHalving h = new SuccessiveHalving(List.of(1, 3), 3, ACCURACY, List.of("a", "b", "c", "d", "e", "f"));
    assertEquals("a", h.next().get().trial());
    h.fail("a", 0);
    assertEquals("b", h.next().get().trial());
    h.fail("b", 0);
    assertEquals("c", h.next().get().trial());
    h.report("c", 0, Double.NaN);
    // Three results, all failures: nothing to promote, the next trial starts.
    assertEquals(List.of(), h.top(0));
    assertEquals("d", h.next().get().trial());
    h.report("d", 0, 0.3);
    // Four results, quota 1: the one real result is the best of them, the failures rank below it.
    assertEquals(List.of("d"), h.top(0));
    SuccessiveHalving.Step s = h.next().get();
    assertEquals("d:1", s.trial() + ":" + s.rung());
    assertEquals("e", h.next().get().trial());
    h.report("e", 0, 0.1);
    assertEquals("f", h.next().get().trial());
    h.report("f", 0, 0.2);
    // Six results, quota 2: d and then f; the failed a, b and c never.
    assertEquals(List.of("d", "f"), h.top(0));
    assertEquals("f:1", h.next().map(x -> x.trial() + ":" + x.rung()).orElse(""));
  }

  @Test
  void withEarlyStoppingOffEveryTrialTrainsTheWholeBudget() {
    SuccessiveHalving h = new SuccessiveHalving(List.of(5), 3, ACCURACY, List.of("a", "b", "c", "d"));
    List<String> steps = drive(h, Map.of("a", new double[] {0.1}, "b", new double[] {0.9}, "c", new double[] {0.5},
        "d", new double[] {0.7}));
    assertEquals(List.of("a:0->5", "b:0->5", "c:0->5", "d:0->5"), steps);
  }

  @Test
  void restoredResultsCountWithoutRunningAgain() {
    SuccessiveHalving h = new SuccessiveHalving(List.of(1, 3, 9), 3, ACCURACY, List.of("a", "b", "c", "d"));
    h.restore("a", List.of(0.9), false);
    h.restore("b", List.of(0.95, 0.96), false);   // was promoted once, reached 3 epochs
    h.restore("c", List.of(0.4), true);           // failed on its way to 3 epochs
    SuccessiveHalving.Step s = h.next().get();
    // Rung 0 holds a 0.9, b 0.95, c 0.4: quota 1 is b, already promoted; so the only new trial starts.
    assertEquals("d", s.trial());
    assertEquals(0, s.fromEpochs());
    h.report("d", 0, 0.1);
    assertTrue(h.next().isEmpty(), "quota 1 of 4 at rung 0 is b (promoted); rung 1 has 2 results: quota 0");
  }

  @Test
  void twoSlotsNeverRunOneTrialTwice() {
    SuccessiveHalving h = new SuccessiveHalving(List.of(1, 3), 2, ACCURACY, List.of("a", "b", "c", "d"));
    SuccessiveHalving.Step a = h.next().get();
    SuccessiveHalving.Step b = h.next().get();
    h.report(a.trial(), 0, 0.9);
    h.report(b.trial(), 0, 0.5);
    SuccessiveHalving.Step promoted = h.next().get();
    assertEquals("a:1", promoted.trial() + ":" + promoted.rung());
    SuccessiveHalving.Step next = h.next().get();
    assertEquals("c", next.trial(), "a is running at rung 1; the next slot starts a new trial");
  }
}
