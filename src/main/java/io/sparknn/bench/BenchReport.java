package io.sparknn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparknn.report.AtomicFiles;
import io.sparknn.report.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns {@link BenchResults} into the harness's one table (figure | sparknn | LocalTrainer | MLlib | PyTorch |
 * gemm limit | ratios), the targets with pass or fail computed from the same run, and the files of a run
 * directory: {@code bench.json} (environment, raw results, table rows, targets), {@code bench.md} (the same for
 * people) and {@code table.csv}/{@code table.md}. Pure formatting: it measures nothing.
 *
 * <p>Conventions: "LocalTrainer" is, per batch size, the faster of the LocalTrainer JVMs (its BLAS threads are
 * marked, e.g. {@code 2t}), so Spark's cost is judged against the best single JVM. The throughput target compares
 * sparknn with PyTorch in sparknn's compute dtype (float64 unless {@code --compute float32}); the other is shown
 * beside it. Times to accuracy are training seconds with evaluation excluded, at the resolution of the evaluation
 * interval.
 */
public final class BenchReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final List<String> COLUMNS = List.of("figure", "sparknn", "LocalTrainer", "MLlib", "PyTorch",
      "gemm limit", "ratios");

  /** One line of the table, as printed. */
  public record Row(String figure, String sparknn, String local, String mllib, String torch, String gemm,
      String ratios) {}

  /**
   * One of the targets.
   *
   * @param value the measured ratio the rule is about, null when a section that feeds it did not run
   * @param pass null when it could not be decided
   */
  public record TargetCheck(String target, String rule, Double value, Boolean pass, String detail) {}

  private BenchReport() {}

  // --------------------------------------------------------------------------------------------- the table

  public static List<Row> rows(BenchResults r) {
    List<Row> rows = new ArrayList<>();
    for (BatchPlan plan : r.plans()) {
      String l = plan.label();
      TrainingRun s = spark(r, plan);
      Best loc = local(r, plan);
      TrainingRun t64 = torch(r, plan, "float64");
      TrainingRun t32 = torch(r, plan, "float32");
      StepBenchmark.Figures g = gemm(r, plan.batch());
      Double sRate = s == null ? null : s.steadySamplesPerSec();
      Double lRate = loc == null ? null : loc.run.steadySamplesPerSec();
      rows.add(new Row("samples/s, steady, " + l, number(sRate), loc == null ? "" : number(lRate) + loc.mark(), "",
          torchPair(t64, t32, TrainingRun::steadySamplesPerSec),
          g == null ? "" : number(plan.batch() / (g.gemmMs() / 1e3)) + gemmMark(r),
          joined(ratio("÷local", sRate, lRate), ratio("÷torch64", sRate, rate(t64)),
              ratio("÷torch32", sRate, rate(t32)))));
      rows.add(new Row("s/epoch, steady, " + l, number(s == null ? null : s.secondsPerEpoch()),
          loc == null ? "" : number(loc.run.secondsPerEpoch()) + loc.mark(), "",
          torchPair(t64, t32, TrainingRun::secondsPerEpoch), "",
          ratio("Spark÷local", s == null ? null : s.secondsPerEpoch(),
              loc == null ? null : loc.run.secondsPerEpoch())));
      Double sMs = s == null ? null : s.iterationMs(r.trainRows());
      Double lMs = loc == null ? null : loc.run.iterationMs(r.trainRows());
      Double cost = sMs == null || lMs == null ? null : sMs - lMs;
      Double bare = r.overhead() == null ? null : r.overhead().bareJobMs();
      rows.add(new Row("ms/iteration (median), " + l, number(sMs), loc == null ? "" : number(lMs) + loc.mark(), "",
          torchPair(t64, t32, t -> t.iterationMs(r.trainRows())),
          g == null ? "" : number(g.gemmMs()) + gemmMark(r),
          cost == null ? "" : joined("Spark's cost " + number(cost) + " ms", ratio("÷bare job", cost, bare))));
      StepBenchmark.Figures share = taskShare(r, plan.batch());
      if (share != null) {
        Double costVsShare = sMs == null ? null : sMs - share.stepMs();
        rows.add(new Row("ms/iteration if the P tasks only computed (one step at batch " + share.batch()
            + ", " + dtype(s) + ", 1 thread), " + l, "", number(share.stepMs()) + " (1t)", "", "",
            number(share.gemmMs()) + " (1t)",
            costVsShare == null ? "" : joined("sparknn − this " + number(costVsShare) + " ms",
                ratio("÷bare job", costVsShare, bare))));
      }
      Double inRun = s == null ? null : s.taskComputeMs();
      if (inRun != null) {
        // Like with like: the tasks' mean compute against the mean iteration over the same (steady) iterations.
        Double exchange = s.meanIterationMs() == null ? null : s.meanIterationMs() - inRun;
        rows.add(new Row("ms/iteration a task computed in this Spark run (mean after epoch 1, " + dtype(s) + "), "
            + l, number(inRun), "", "", "", "", exchange == null ? "" : joined("sparknn's mean iteration "
                + number(s.meanIterationMs()) + " ms − this = " + number(exchange)
                + " ms (the exchange, sum and update)", ratio("÷bare job", exchange, bare))));
      }
      for (double target : AccuracyClock.TARGETS) {
        Double st = s == null ? null : s.timeTo(target);
        Double bestTorch = min(t64 == null ? null : t64.timeTo(target), t32 == null ? null : t32.timeTo(target));
        rows.add(new Row("time to " + percent(target) + " (s), " + l, reached(s, target),
            loc == null ? "" : reached(loc.run, target) + loc.mark(), "",
            t64 == null && t32 == null ? "" : reached(t64, target) + " / " + reached(t32, target), "",
            ratio("÷torch best dtype", st, bestTorch)));
      }
      rows.add(new Row("final test accuracy (epochs), " + l, finalAccuracy(s),
          loc == null ? "" : finalAccuracy(loc.run) + loc.mark(), "",
          t64 == null && t32 == null ? "" : finalAccuracy(t64) + " / " + finalAccuracy(t32), "", ""));
    }
    for (double target : AccuracyClock.TARGETS) {
      Optional<TrainingRun> s = fastest(r.sparknn(), target);
      Optional<TrainingRun> loc = fastest(r.local().stream().flatMap(x -> x.runs().stream()).toList(), target);
      Optional<TrainingRun> t = fastest(r.torch(), target);
      Optional<MllibBench.Fit> m = r.mllib().stream()
          .filter(f -> f.testAccuracy() != null && f.testAccuracy() >= target)
          .min(Comparator.comparingDouble(MllibBench.Fit::fitSeconds));
      Double st = s.map(x -> x.timeTo(target)).orElse(null);
      rows.add(new Row("time to " + percent(target) + " (s), best configuration", best(s, target),
          best(loc, target), m.map(f -> number(f.fitSeconds()) + " (" + f.solver() + ", " + f.iterations() + " it)")
              .orElse(r.mllib().isEmpty() ? "" : "not reached"),
          best(t, target), "",
          joined(ratio("÷torch", st, t.map(x -> x.timeTo(target)).orElse(null)),
              ratio("MLlib÷", m.map(MllibBench.Fit::fitSeconds).orElse(null), st))));
    }
    Optional<MllibBench.Fit> mBest = mllibBest(r);
    if (mBest.isPresent()) {
      MllibBench.Fit f = mBest.get();
      Optional<TrainingRun> s97 = fastest(r.sparknn(), 0.97);
      rows.add(new Row("MLlib's best accuracy: fit seconds", "", "", number(f.fitSeconds()) + " for "
          + number4(f.testAccuracy()) + " (" + f.solver() + ", " + f.iterations() + " it)", "", "",
          ratio("÷sparknn time to 97%", f.fitSeconds(), s97.map(x -> x.timeTo97()).orElse(null))));
    }
    for (MllibBench.Fit f : r.mllib()) {
      rows.add(new Row("MLlib " + f.solver() + ", maxIter " + f.maxIter(), "", "",
          f.fitSeconds() == null ? f.note()
              : String.format(Locale.ROOT, "acc %s, fit %s s, %s s/it (%d it)", number4(f.testAccuracy()),
                  number(f.fitSeconds()), number(f.secondsPerIteration()), f.iterations()),
          "", "", ""));
    }
    if (r.overhead() != null) {
      SparkOverheadBench.Result o = r.overhead();
      rows.add(new Row("Spark bare job: " + o.partitions() + " empty tasks, collect (ms, median)",
          number(o.bareJobMs()), "", "", "", "", ""));
      rows.add(new Row(String.format(Locale.ROOT, "Spark bare job + %.1f MB broadcast + %d × %.1f MB results (ms)",
          o.weights() * 8 / 1e6, o.partitions(), o.weights() * 8 / 1e6), number(o.roundTripMs()), "", "", "", "",
          ratio("÷bare job", o.roundTripMs(), o.bareJobMs())));
      if (o.runJobMs() != null) {
        rows.add(new Row("Spark's floor: " + o.partitions() + " tasks through runJob without ClosureCleaner, as"
            + " SparkTrainer runs them (ms, median)", number(o.runJobMs()), "", "", "", "",
            ratio("÷bare job", o.runJobMs(), o.bareJobMs())));
      }
    }
    for (LocalBench.Results lr : r.local()) {
      for (StepBenchmark.Figures g : lr.gemm()) {
        rows.add(new Row("one training step vs bare gemms, batch " + g.batch() + ", " + lr.threads()
            + " BLAS thread(s) (ms)", "", number(g.stepMs()), "", "", number(g.gemmMs()),
            String.format(Locale.ROOT, "step at %.0f%% of gemm rate (%.1f vs %.1f GFLOP/s)", 100 * g.ratio(),
                g.modelGflops(), g.gemmGflops())));
      }
    }
    return rows;
  }

  public static Table table(List<Row> rows) {
    Table t = new Table(COLUMNS);
    for (Row row : rows) {
      t = t.add(row.figure(), row.sparknn(), row.local(), row.mllib(), row.torch(), row.gemm(), row.ratios());
    }
    return t;
  }

  // ------------------------------------------------------------------------------------------- targets

  public static List<TargetCheck> targets(BenchResults r) {
    List<TargetCheck> checks = new ArrayList<>();
    Optional<TrainingRun> s97 = fastest(r.sparknn(), 0.97);
    Optional<TrainingRun> t97 = fastest(r.torch(), 0.97);
    Double s = s97.map(TrainingRun::timeTo97).orElse(null);
    Double t = t97.map(TrainingRun::timeTo97).orElse(null);
    checks.add(check("time to 97%: ≤ 2× PyTorch's best configuration", "sparknn best ÷ PyTorch best ≤ 2",
        ratioValue(s, t), v -> v <= 2.0, "sparknn " + best(s97, 0.97) + ", PyTorch " + best(t97, 0.97)));
    Optional<MllibBench.Fit> m = mllibBest(r);
    Double mSeconds = m.map(MllibBench.Fit::fitSeconds).orElse(null);
    // MLlib's "best accuracy" is only its best if the longer fits ran; with fits skipped for the budget the
    // comparison would be against a truncated MLlib, so it is left undecided.
    boolean truncated = r.mllib().stream().anyMatch(f -> f.fitSeconds() == null);
    checks.add(check("time to 97%: ≥ 10× faster than MLlib's MLP reaches its best accuracy",
        "MLlib best-accuracy fit seconds ÷ sparknn best time to 97% ≥ 10", ratioValue(mSeconds, s),
        v -> truncated ? null : v >= 10,
        (truncated ? "undecided, MLlib's longer fits were skipped (--mllib-budget): " : "")
            + m.map(f -> "MLlib " + number4(f.testAccuracy()) + " in " + number(f.fitSeconds()) + " s ("
                + f.solver() + ", " + f.iterations() + " it)").orElse("MLlib did not run")
            + ", sparknn " + (s == null ? "did not reach 97%" : number(s) + " s")));
    Double bare = r.overhead() == null ? null : r.overhead().bareJobMs();
    for (BatchPlan plan : r.plans()) {
      TrainingRun sr = spark(r, plan);
      Best loc = local(r, plan);
      Double cost = sr == null || loc == null || sr.iterationMs(r.trainRows()) == null
          || loc.run.iterationMs(r.trainRows()) == null ? null
          : sr.iterationMs(r.trainRows()) - loc.run.iterationMs(r.trainRows());
      StepBenchmark.Figures share = taskShare(r, plan.batch());
      Double sMs = sr == null ? null : sr.iterationMs(r.trainRows());
      String vsShare = share == null || sMs == null ? "" : "; against the P tasks' pure compute (one step at batch "
          + share.batch() + ", " + dtype(sr) + ", 1 thread, " + number(share.stepMs()) + " ms) it is "
          + number(sMs - share.stepMs())
          + " ms = " + number(ratioValue(sMs - share.stepMs(), bare)) + "× the bare job";
      // A negative cost means the LocalTrainer used fewer cores than Spark's P parallel tasks: the rule cannot
      // judge Spark then, and a "pass" would be an artefact.
      checks.add(check("Spark's own cost per iteration ≤ 1.2× a bare Spark job, " + plan.label(),
          "(sparknn − LocalTrainer ms/iteration) ÷ bare job ms ≤ 1.2", ratioValue(cost, bare),
          v -> v < 0 ? null : v <= 1.2,
          "Spark's cost " + number(cost) + " ms" + (loc == null ? "" : " (LocalTrainer " + loc.mark().trim() + ")")
              + ", bare job " + number(bare) + " ms" + (cost != null && cost < 0
                  ? " (negative: LocalTrainer slower than Spark's parallel tasks, undecidable)" : "") + vsShare));
    }
    for (int[] rule : new int[][] {{4096, 100}, {1024, 70}}) {
      int b = rule[0];
      double need = rule[1] / 100.0;
      // The plan of --batches for b (the rule is about throughput, the same at any rate).
      BatchPlan plan = r.plans().stream().filter(x -> x.batch() == b).findFirst().orElse(null);
      TrainingRun sr = plan == null ? null : spark(r, plan);
      TrainingRun t64 = plan == null ? null : torch(r, plan, "float64");
      TrainingRun t32 = plan == null ? null : torch(r, plan, "float32");
      // Same dtype: sparknn's compute dtype picks the PyTorch run it is judged against; the other is shown too.
      boolean f32 = sr != null && "float32".equals(sr.dtype());
      TrainingRun same = f32 ? t32 : t64;
      TrainingRun other = f32 ? t64 : t32;
      String sameName = f32 ? "float32" : "float64";
      String otherName = f32 ? "float64" : "float32";
      checks.add(check("throughput ≥ " + need + "× PyTorch (same dtype), batch " + b,
          "sparknn samples/s ÷ PyTorch " + sameName + " samples/s ≥ " + need, ratioValue(rate(sr), rate(same)),
          v -> v >= need, "sparknn " + (sr == null ? "" : sr.dtype() + " ") + number(rate(sr)) + ", PyTorch "
              + sameName + " " + number(rate(same)) + ", " + otherName + " " + number(rate(other)) + " (ratio "
              + number(ratioValue(rate(sr), rate(other))) + ")"));
    }
    StepBenchmark.Figures g = r.local().stream().filter(x -> x.threads() == 1).flatMap(x -> x.gemm().stream())
        .filter(f -> f.batch() == 1024).findFirst().orElse(null);
    checks.add(check("one training step in one JVM, batch 1024: ≥ 70% of the gemm rate",
        "step GFLOP/s ÷ bare-gemm GFLOP/s at the same shapes, 1 BLAS thread ≥ 0.70", g == null ? null : g.ratio(),
        v -> v >= 0.7, g == null ? "no 1-thread LocalTrainer JVM ran"
            : String.format(Locale.ROOT, "step %.3f ms, gemms %.3f ms", g.stepMs(), g.gemmMs())));
    return checks;
  }

  private static TargetCheck check(String target, String rule, Double value, Function<Double, Boolean> passes,
      String detail) {
    return new TargetCheck(target, rule, value, value == null ? null : passes.apply(value), detail);
  }

  public static Table targetTable(List<TargetCheck> checks) {
    Table t = new Table(List.of("target", "rule", "measured", "result", "detail"));
    for (TargetCheck c : checks) {
      t = t.add(c.target(), c.rule(), number(c.value()), c.pass() == null ? "n/a" : c.pass() ? "PASS" : "FAIL",
          c.detail());
    }
    return t;
  }

  // ------------------------------------------------------------------------------------------- output

  /** The whole report as Markdown: environment, load, the table, the targets and how to read them. */
  public static String markdown(BenchResults r, List<Row> rows, List<TargetCheck> checks) {
    StringBuilder md = new StringBuilder();
    md.append("# sparknn benchmark\n\n");
    Table env = new Table(List.of("setting", "value"));
    for (Map.Entry<String, Object> e : r.environment().entrySet()) {
      String v = String.valueOf(e.getValue());
      env = env.add(e.getKey(), v.length() <= 240 ? v : v.substring(0, 200) + " … (all of it in bench.json)");
    }
    md.append(env.toMarkdown()).append('\n');
    if (!r.load().isEmpty()) {
      Table load = new Table(List.of("section", "wall s", "loadavg before", "loadavg after", "other processes' CPU"));
      for (MachineLoad.Section s : r.load()) {
        load = load.add(s.name(), number(s.wallSeconds()), s.loadavgBefore(), s.loadavgAfter(),
            s.otherCpuShare() == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * s.otherCpuShare()));
      }
      md.append("## Load during the run\n\n").append(load.toMarkdown()).append('\n');
    }
    md.append("## Results\n\n").append(table(rows).toMarkdown()).append('\n');
    md.append("## Targets\n\n").append(targetTable(checks).toMarkdown()).append('\n');
    md.append("""
        How to read it: every figure comes from this one run. Steady figures are medians over the epochs after the \
        first (warm-up) epoch. Times to accuracy are training seconds from the start of fit(), the clock paused \
        while the official 10k test set is evaluated (every ~%d samples and at each epoch end), so their resolution \
        is one evaluation interval; Spark start-up and data distribution are not included. "LocalTrainer" is the \
        faster of the LocalTrainer JVMs per batch (BLAS threads marked, e.g. 2t); "Spark's cost" is sparknn's \
        median ms/iteration minus that LocalTrainer's. PyTorch cells are float64 / float32. The gemm limit is the \
        nine bare gemms of one training step at the same shapes with the BLAS sparknn uses (samples/s = batch ÷ \
        their time), on the LocalTrainer JVM with the most BLAS threads.
        """.formatted(evalSamples(r)));
    if (r.torchUnavailable() != null) {
      md.append("\nPyTorch did not run: ").append(r.torchUnavailable()).append('\n');
    }
    return md.toString();
  }

  /** Saves the raw results as {@code results.json}, first, so that no rendering problem can lose a run. */
  public static void save(Path dir, BenchResults r) {
    try {
      AtomicFiles.writeString(dir.resolve("results.json"), MAPPER.writeValueAsString(r) + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("could not write results.json: " + e.getMessage(), e);
    }
  }

  /** The results {@link #save} wrote into {@code dir} (for {@code --report-only DIR}). */
  public static BenchResults load(Path dir) {
    try {
      return MAPPER.readValue(dir.resolve("results.json").toFile(), BenchResults.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not read " + dir.resolve("results.json") + ": "
          + e.getMessage(), e);
    }
  }

  /** Writes {@code bench.json}, {@code bench.md}, {@code table.csv} and {@code table.md} into {@code dir}. */
  public static void write(Path dir, BenchResults r) {
    List<Row> rows = rows(r);
    List<TargetCheck> checks = targets(r);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("environment", r.environment());
    json.put("table", rows);
    json.put("targets", checks);
    json.put("results", r);
    try {
      AtomicFiles.writeString(dir.resolve("bench.json"), MAPPER.writeValueAsString(json) + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("could not write bench.json: " + e.getMessage(), e);
    }
    AtomicFiles.writeString(dir.resolve("bench.md"), markdown(r, rows, checks));
    table(rows).write(dir, "table");
  }

  // ------------------------------------------------------------------------------------------- helpers

  /** The LocalTrainer run chosen for a batch size, and how many BLAS threads it had. */
  private record Best(TrainingRun run, int threads) {
    String mark() {
      return " (" + threads + "t)";
    }
  }

  private static TrainingRun spark(BenchResults r, BatchPlan plan) {
    return r.sparknn().stream().filter(plan::ranBy).findFirst().orElse(null);
  }

  private static TrainingRun torch(BenchResults r, BatchPlan plan, String dtype) {
    return r.torch().stream().filter(x -> plan.ranBy(x) && dtype.equals(x.dtype())).findFirst().orElse(null);
  }

  private static Best local(BenchResults r, BatchPlan plan) {
    Best best = null;
    for (LocalBench.Results lr : r.local()) {
      for (TrainingRun run : lr.runs()) {
        Double ms = run.iterationMs(r.trainRows());
        if (plan.ranBy(run) && ms != null
            && (best == null || ms < best.run.iterationMs(r.trainRows()))) {
          best = new Best(run, lr.threads());
        }
      }
    }
    return best;
  }

  /**
   * One step at a Spark task's share of {@code batch} (batch ÷ P) in the 1-thread JVM, in the Spark run's compute
   * dtype, if measured.
   */
  private static StepBenchmark.Figures taskShare(BenchResults r, int batch) {
    int p = r.overhead() != null ? r.overhead().partitions() : partitions(r);
    if (p <= 1) {
      return null;
    }
    return r.local().stream().filter(x -> x.threads() == 1)
        .flatMap(x -> x.taskSteps() == null ? java.util.stream.Stream.<StepBenchmark.Figures>empty()
            : x.taskSteps().stream())
        .filter(g -> g.batch() == batch / p).findFirst().orElse(null);
  }

  private static String dtype(TrainingRun sparknn) {
    return sparknn != null && "float32".equals(sparknn.dtype()) ? "float32" : "float64";
  }

  private static int partitions(BenchResults r) {
    Object v = r.environment().get("partitions");
    return v instanceof Number n ? n.intValue() : 0;
  }

  /** The gemm figures at {@code batch} of the LocalTrainer JVM with the most BLAS threads. */
  private static StepBenchmark.Figures gemm(BenchResults r, int batch) {
    return r.local().stream().max(Comparator.comparingInt(LocalBench.Results::threads))
        .flatMap(lr -> lr.gemm().stream().filter(g -> g.batch() == batch).findFirst()).orElse(null);
  }

  private static String gemmMark(BenchResults r) {
    return r.local().stream().mapToInt(LocalBench.Results::threads).max().stream()
        .mapToObj(t -> " (" + t + "t)").findFirst().orElse("");
  }

  private static Optional<TrainingRun> fastest(List<TrainingRun> runs, double target) {
    return runs.stream().filter(x -> x.timeTo(target) != null).min(Comparator.comparingDouble(x -> x.timeTo(target)));
  }

  private static Optional<MllibBench.Fit> mllibBest(BenchResults r) {
    return r.mllib().stream().filter(f -> f.testAccuracy() != null)
        .max(Comparator.comparingDouble(MllibBench.Fit::testAccuracy)
            .thenComparing(Comparator.comparingDouble(MllibBench.Fit::fitSeconds).reversed()));
  }

  private static int evalSamples(BenchResults r) {
    Object v = r.environment().get("eval every samples");
    return v instanceof Number n ? n.intValue() : 12800;
  }

  private static Double rate(TrainingRun t) {
    return t == null ? null : t.steadySamplesPerSec();
  }

  private static String torchPair(TrainingRun t64, TrainingRun t32, Function<TrainingRun, Double> f) {
    if (t64 == null && t32 == null) {
      return "";
    }
    return number(t64 == null ? null : f.apply(t64)) + " / " + number(t32 == null ? null : f.apply(t32));
  }

  private static String reached(TrainingRun run, double target) {
    if (run == null) {
      return "—";
    }
    Double t = run.timeTo(target);
    return t != null ? number(t) : run.epochsCompleted() == 0 ? "—" : "not in " + run.epochsCompleted() + " ep";
  }

  private static String best(Optional<TrainingRun> run, double target) {
    return run.map(x -> number(x.timeTo(target)) + " (" + describe(x) + ")").orElse("not reached");
  }

  private static String describe(TrainingRun run) {
    return (run.framework().equals("pytorch") ? run.dtype() + ", " : run.framework().equals("local")
        ? run.threads() + "t, " : "") + "b" + run.batch()
        + (run.lr() == BatchPlan.BASE_LR && run.warmupIterations() == 0 ? "" : " lr " + number(run.lr()));
  }

  private static String finalAccuracy(TrainingRun run) {
    return run == null || run.finalAccuracy() == null ? "—"
        : number4(run.finalAccuracy()) + " (" + run.epochsCompleted() + ")";
  }

  private static String ratio(String name, Double a, Double b) {
    Double v = ratioValue(a, b);
    return v == null ? "" : name + " " + number(v);
  }

  private static Double ratioValue(Double a, Double b) {
    return a == null || b == null || b == 0 ? null : a / b;
  }

  private static Double min(Double a, Double b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Math.min(a, b);
  }

  private static String joined(String... parts) {
    List<String> kept = new ArrayList<>();
    for (String p : parts) {
      if (p != null && !p.isEmpty()) {
        kept.add(p);
      }
    }
    return String.join(" · ", kept);
  }

  private static String percent(double target) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * target);
  }

  /** A figure at a sensible precision (three significant digits, thousands grouped), "—" for null. */
  public static String number(Double v) {
    if (v == null || v.isNaN()) {
      return "—";
    }
    double a = Math.abs(v);
    String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f"
        : "%.2g";
    return String.format(Locale.ROOT, f, v);
  }

  static String number(double v) {
    return number(Double.valueOf(v));
  }

  static String number4(Double v) {
    return v == null ? "—" : String.format(Locale.ROOT, "%.4f", v);
  }
}
