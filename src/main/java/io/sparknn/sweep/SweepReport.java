package io.sparknn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.DataConfig;
import io.sparknn.config.OutputConfig;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.io.ModelFiles;
import io.sparknn.report.AtomicFiles;
import io.sparknn.report.Charts;
import io.sparknn.report.ScatterPlot;
import io.sparknn.report.Table;
import io.sparknn.run.PreparedData;
import io.sparknn.train.Evaluation;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a finished sweep leaves besides {@code trials.jsonl}: {@code leaderboard.csv} and {@code .md} (best
 * first), the best model in {@code model/} (as {@code TrainJob} saves one) with {@code best-config.yaml} (its
 * full training config, for {@code jobs/train-mnist.sh}), {@code curves.png} (the objective per epoch of every
 * trial), {@code objective-vs-<param>.png} for each swept parameter, and {@code summary.json}.
 */
public final class SweepReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SweepReport() {}

  /** Leaderboard order: whole budget first, then by rung reached, objective, and trial order; failures last. */
  public static Comparator<TrialRecord> ranking(SweepObjective objective) {
    return Comparator.<TrialRecord>comparingInt(r -> r.status() == TrialRecord.Status.FAILED ? 1 : 0)
        .thenComparing(Comparator.comparingInt(TrialRecord::epochsReached).reversed())
        .thenComparing((a, b) -> objective.compare(a.objective(), b.objective()))
        .thenComparingInt(r -> r.trial().index());
  }

  public static SweepResult write(Sweep sweep, SweepDirectory dir, List<TrialRecord> records, TrialRecord best,
      TrialRunner runner, SweepData data, double wallSeconds, int slots) {
    List<TrialRecord> ranked = new ArrayList<>(records);
    ranked.sort(ranking(sweep.objective()));
    leaderboard(sweep, ranked).write(dir.path(), "leaderboard");
    if (sweep.charts()) {
      charts(sweep, dir.path(), ranked);
    }
    int trained = 0;
    int started = 0;
    for (TrialRecord r : records) {
      trained += r.epochsTrained();
      started += r.epochsTrained() > 0 || !r.rungs().isEmpty() ? 1 : 0;
    }
    double bestValidation = Double.NaN;
    double testAccuracy = Double.NaN;
    String command = null;
    if (best != null) {
      Path model = dir.keepBest(best.id());
      TrainConfig config = bestConfig(sweep, best, runner);
      AtomicFiles.writeString(dir.resolve("best-config.yaml"), ConfigLoader.toYaml(config));
      command = command(sweep, best, runner.partitions(best.trial().train()));
      ModelFiles.Loaded loaded = ModelFiles.load(model.toString(), new org.apache.hadoop.conf.Configuration());
      TrainPlan plan = runner.plan(best.trial());
      LocalTrainer evaluator = new LocalTrainer(loaded.model(),
          new Objective(plan.criterion().build(), plan.target()), plan.newOptimizer(), plan.options());
      PreparedData d = data.get(best.trial().train());
      Evaluation val = d.validation() == null ? null : evaluator.evaluate(d.validation());
      bestValidation = val == null ? Double.NaN : switch (sweep.objective().metric()) {
        case "val_accuracy" -> val.accuracy();
        case "val_loss" -> val.loss();
        default -> best.objective();
      };
      testAccuracy = evaluator.evaluate(d.test()).accuracy();
    }
    SweepResult result = new SweepResult(dir.path(), ranked, best, wallSeconds, slots, trained,
        started * sweep.budget(), bestValidation, testAccuracy, command);
    AtomicFiles.writeString(dir.resolve("summary.json"), summary(sweep, result, dir.resumed()));
    print(sweep, result);
    return result;
  }

  static Table leaderboard(Sweep sweep, List<TrialRecord> ranked) {
    List<String> columns = new ArrayList<>(List.of("rank", "trial", "status", "epochs", sweep.objective().metric()));
    for (String m : SweepObjective.METRICS) {
      if (!m.equals(sweep.objective().metric())) {
        columns.add(m);
      }
    }
    columns.addAll(List.of("epochs_trained", "seconds"));
    sweep.space().params().forEach(p -> columns.add(p.name()));
    columns.add("reason");
    Table t = new Table(columns);
    int rank = 1;
    for (TrialRecord r : ranked) {
      List<Object> row = new ArrayList<>();
      row.add(rank++);
      row.add(r.id());
      row.add(r.status().json());
      row.add(r.epochsReached());
      row.add(finite(r.objective()));
      EpochResult last = r.rungs().isEmpty() ? null : r.rungs().get(r.rungs().size() - 1).last();
      for (String m : SweepObjective.METRICS) {
        if (!m.equals(sweep.objective().metric())) {
          row.add(last == null ? null : finite(new SweepObjective(m, true).value(last)));
        }
      }
      row.add(r.epochsTrained());
      row.add(r.seconds());
      for (Param p : sweep.space().params()) {
        JsonNode v = r.trial().params().get(p.name());
        row.add(v == null ? null : v.isNumber() ? (Object) v.numberValue() : Trial.label(v));
      }
      row.add(r.reason());
      t = t.add(row.toArray());
    }
    return t;
  }

  private static void charts(Sweep sweep, Path dir, List<TrialRecord> ranked) {
    String metric = sweep.objective().metric();
    Map<String, double[][]> curves = new LinkedHashMap<>();
    for (TrialRecord r : ranked) {
      List<EpochResult> h = r.history();
      double[] x = new double[h.size()];
      double[] y = new double[h.size()];
      for (int i = 0; i < h.size(); i++) {
        x[i] = h.get(i).epoch();
        y[i] = sweep.objective().value(h.get(i));
      }
      boolean any = java.util.Arrays.stream(y).anyMatch(Double::isFinite);
      if (any) {
        curves.put(r.id(), new double[][] {x, y});
      }
    }
    if (!curves.isEmpty()) {
      Charts.lines(dir.resolve("curves.png"), metric + " per epoch, every trial — " + sweep.name(), "epoch",
          metric, curves);
    }
    for (Param p : sweep.space().params()) {
      List<String> categories = null;
      if (!p.numeric()) {
        categories = p.grid().stream().map(v -> Trial.label(v.label())).toList();
      }
      Map<String, List<double[]>> byRung = new LinkedHashMap<>();
      for (int k = sweep.rungs().size() - 1; k >= 0; k--) {
        int e = sweep.rungs().get(k);
        byRung.put(k == sweep.rungs().size() - 1 ? "trained " + e + " epochs (budget)" : "stopped at " + e
            + (e == 1 ? " epoch" : " epochs"), new ArrayList<>());
      }
      List<String> names = new ArrayList<>(byRung.keySet());
      for (TrialRecord r : ranked) {
        if (r.rungs().isEmpty()) {
          continue;
        }
        JsonNode v = r.trial().params().get(p.name());
        double x = categories == null ? v.asDouble() : categories.indexOf(Trial.label(v));
        int k = sweep.rungs().indexOf(r.epochsReached());
        byRung.get(names.get(sweep.rungs().size() - 1 - k)).add(new double[] {x, r.objective()});
      }
      Map<String, double[][]> series = new LinkedHashMap<>();
      byRung.forEach((name, pts) -> {
        if (!pts.isEmpty()) {
          series.put(name, new double[][] {pts.stream().mapToDouble(q -> q[0]).toArray(),
              pts.stream().mapToDouble(q -> q[1]).toArray()});
        }
      });
      String file = "objective-vs-" + p.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
      ScatterPlot.write(dir.resolve(file), metric + " vs " + p.name() + " (at the last rung each trial reached)",
          p.name(), metric, series, categories, p.logScale());
    }
  }

  /** The best trial's full training config: {@code data.partitions} fixed to what the sweep used, no run dir. */
  static TrainConfig bestConfig(Sweep sweep, TrialRecord best, TrialRunner runner) {
    TrainConfig c = best.trial().train();
    DataConfig d = c.data();
    return new TrainConfig(sweep.name() + "-" + best.id(), c.seed(),
        new DataConfig(d.dir(), d.validation(), d.standardize(), runner.partitions(c), d.limit(), d.augmentation()),
        c.model(), c.criterion(), c.target(), c.optimizer(), c.batchSize(), c.epochs(),
        new OutputConfig(c.output().dir(), null, c.output().charts()), c.checkpoint(), c.inputShape(), c.shards());
  }

  /** {@code jobs/train-mnist.sh BASE k=v ...}: the base file, the fixed overrides, the trial's, budget, partitions. */
  static String command(Sweep sweep, TrialRecord best, int partitions) {
    List<String> args = new ArrayList<>();
    args.add("jobs/train-mnist.sh");
    if (sweep.baseFile() == null) {
      args.add("<the sweep's inline base>");
    } else {
      args.add(sweep.baseFile());
    }
    args.addAll(sweep.fixed());
    args.addAll(best.trial().overrides());
    args.add("epochs=" + sweep.budget());
    args.add("data.partitions=" + partitions);
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(a.matches("[A-Za-z0-9_./=:+-]+") || a.startsWith("<") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  private static String summary(Sweep sweep, SweepResult r, boolean resumed) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", sweep.name());
    o.put("mode", sweep.mode().name().toLowerCase(Locale.ROOT));
    o.put("slots", r.slots());
    o.put("objective", sweep.objective().describe());
    o.put("trials", r.trials().size());
    ObjectNode statuses = o.putObject("statuses");
    for (TrialRecord t : r.trials()) {
      statuses.put(t.status().json(), statuses.path(t.status().json()).asInt() + 1);
    }
    o.putPOJO("rungs", sweep.rungs());
    o.put("budget_epochs", sweep.budget());
    o.put("epochs_trained", r.epochsTrained());
    o.put("epochs_without_early_stopping", r.epochsFullBudget());
    o.put("budget_saved", r.budgetSaved());
    o.put("wall_sec", r.wallSeconds());
    o.put("trial_seconds_sum", r.trials().stream().mapToDouble(TrialRecord::seconds).sum());
    o.put("resumed", resumed);
    if (r.best() != null) {
      ObjectNode b = o.putObject("best");
      b.put("trial", r.best().id());
      b.put("objective", r.best().objective());
      b.put("objective_from_saved_model", r.bestValidation());
      b.put("test_accuracy", r.testAccuracy());
      b.set("params", r.best().toJson().get("params"));
      b.set("overrides", r.best().toJson().get("overrides"));
      b.put("command", r.command());
    }
    try {
      return JSON.writeValueAsString(o) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void print(Sweep sweep, SweepResult r) {
    Map<String, Integer> statuses = new LinkedHashMap<>();
    r.trials().forEach(t -> statuses.merge(t.status().json(), 1, Integer::sum));
    System.out.printf(Locale.ROOT, "sweep: %d trials %s in %.1f s with %d at once%n", r.trials().size(), statuses,
        r.wallSeconds(), r.slots());
    System.out.printf(Locale.ROOT, "sweep: %d epochs trained; %d without early stopping (%.0f%% saved)%n",
        r.epochsTrained(), r.epochsFullBudget(), 100 * r.budgetSaved());
    if (r.best() == null) {
      System.out.println("sweep: no trial trained the whole budget; see " + r.dir().resolve("trials.jsonl"));
      return;
    }
    System.out.printf(Locale.ROOT, "sweep: best %s  %s %.4f (saved model: %.4f)  test accuracy %.4f%n",
        r.best().id(), sweep.objective().metric(), r.best().objective(), r.bestValidation(), r.testAccuracy());
    System.out.println("sweep: best config: " + r.best().trial().describe());
    System.out.println("sweep: train it again: " + r.command());
    System.out.println("sweep: results in " + r.dir() + " (leaderboard.md, model/, best-config.yaml, charts)");
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
