package io.sparknn.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparknn.report.AtomicFiles;
import io.sparknn.report.Charts;
import io.sparknn.report.Table;
import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.CommunicationModel;
import io.sparknn.train.spark.Exchange;
import io.sparknn.train.spark.IterationTraffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The cluster part of the harness's report ({@code cluster.md}, {@code cluster.json}, {@code cluster-ms.png},
 * {@code cluster-samples.png}): the iteration's breakdown side by side for the local session and every cluster,
 * the communication model fitted to the smallest cluster and checked against the others, its projection to 100
 * executors on 10 and 25 GbE, and the cluster targets.
 */
final class ClusterReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final TypeReference<List<ClusterBench.Setup>> SETUPS = new TypeReference<>() {};
  private static final int[] PROJECTED_P = {2, 4, 8, 16, 32, 64, 100};
  private static final int BIG_MLP = 1_300_000;

  private ClusterReport() {}

  static String write(Path dir, List<ClusterBench.Setup> setups, int weights) {
    return write(dir, setups, List.of(), weights);
  }

  /** As above, the clusters' {@code visits} (each size's, in order) merged into {@code setups}. */
  static String write(Path dir, List<ClusterBench.Setup> setups, List<List<ClusterBench.Setup>> visits,
      int weights) {
    return write(dir, setups, visits, weights, MachineLoad.cpus());
  }

  /** As above, measured with the driver on a machine of {@code driverCpus} CPUs. */
  private static String write(Path dir, List<ClusterBench.Setup> setups, List<List<ClusterBench.Setup>> visits,
      int weights, int driverCpus) {
    return write(dir, setups, visits, weights, driverCpus, cpus(setups, driverCpus));
  }

  /**
   * The CPUs of the fit and the model check ({@link Cpus}): the driver's, and those the sessions record having
   * shared with it ({@link ClusterBench.Setup#sharedCpus}; the driver's for results saved before they did, which
   * ran on 127.0.0.1); null when the clusters shared differently, as when some ran on the driver's machine and
   * some on hosts of their own, or when a cluster's executors did only partly: no one fit covers them.
   */
  static Cpus cpus(List<ClusterBench.Setup> setups, int driverCpus) {
    List<Integer> kinds = setups.stream().filter(s -> s.where().startsWith("cluster"))
        .map(s -> s.sharedCpus() == null ? driverCpus : s.sharedCpus()).distinct().toList();
    if (kinds.size() > 1 || kinds.contains(-1)) {
      return null;
    }
    return kinds.isEmpty() || kinds.get(0) != 0 ? new Cpus(driverCpus, kinds.isEmpty() ? driverCpus : kinds.get(0))
        : Cpus.ownHosts(driverCpus);
  }

  /**
   * As above, for a machine of {@code cpus} CPUs that the driver and every executor shared (what the fit and the
   * model check take an oversubscribed cluster's executors to take turns on).
   */
  static String write(Path dir, List<ClusterBench.Setup> setups, int weights, int cpus) {
    return write(dir, setups, List.of(), weights, cpus, Cpus.loopback(cpus));
  }

  private static String write(Path dir, List<ClusterBench.Setup> setups, List<List<ClusterBench.Setup>> visits,
      int weights, int driverCpus, Cpus cpus) {
    List<ClusterBench.Setup> clusters = setups.stream().filter(s -> s.where().startsWith("cluster")).toList();
    ModelFit model = clusters.isEmpty() || cpus == null ? null : ModelFit.fit(clusters, weights, cpus);
    StringBuilder md = new StringBuilder("# sparknn on standalone clusters (" + (cpus == null
        ? "executors sharing the driver's CPUs unalike" : cpus.ownHosts() ? "executors on hosts of their own"
        : "loopback: the driver and every executor on " + cpus.shared() + " CPUs") + ")\n\n");
    md.append(loadTable(setups)).append('\n');
    if (visits.stream().anyMatch(v -> v.size() > 1)) {
      md.append(visitTable(visits)).append('\n');
    }
    md.append(breakdownTable(setups, weights)).append('\n');
    if (cpus == null && !clusters.isEmpty()) {
      md.append("No communication model: the clusters did not all share the driver's CPUs alike (the first "
          + "table: some shared them, some had hosts of their own, or some executors of one cluster did), and one "
          + "fit cannot cover them; measure each kind in a run of its own.\n\n");
    }
    if (model != null) {
      md.append("## Communication model, fitted to ").append(clusters.get(0).where()).append("\n\n")
          .append("Jobs path: ").append(model.jobs()).append("\n\nChannel: the same, its tasks' compute ")
          .append(String.format(Locale.ROOT, "computeMs=%s, computeUs=%s", model.channel().computeMs(),
              model.channel().computeUs())).append(" (a task of a job per iteration computes beside Spark's own work "
              + "on the same CPUs).\n\n").append(ModelCheck.table(clusters, model, weights, cpus)).append('\n')
          .append(TrafficCheck.table(clusters, weights)).append('\n').append(projection(model, cpus.driver()))
          .append('\n');
      charts(dir, clusters, model, weights, cpus.driver());
    }
    md.append(targets(setups, model, weights, cpus));
    String text = md.toString();
    try {
      AtomicFiles.writeString(dir.resolve("cluster.md"), text);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("driverCpus", driverCpus);
      json.put("setups", setups);
      json.put("model", model == null ? null : model.jobs());
      json.put("channelModel", model == null ? null : model.channel());
      if (!visits.isEmpty()) {
        json.put("visits", visits);
      }
      AtomicFiles.writeString(dir.resolve("cluster.json"), MAPPER.writeValueAsString(json) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text;
  }

  /**
   * The report written again from {@code dir}'s {@code cluster.json} with the model as the code has it now (for
   * {@code --report-only}): every fit and check from the stored measurements. Returns the report, or null when
   * {@code dir} holds no cluster results.
   */
  static String rewrite(Path dir, int weights) {
    Path file = dir.resolve("cluster.json");
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonNode root = MAPPER.readTree(file.toFile());
      List<ClusterBench.Setup> setups = MAPPER.convertValue(root.get("setups"), SETUPS);
      if (setups == null || setups.isEmpty()) {
        throw new IllegalArgumentException("no \"setups\": expected the sessions' measurements");
      }
      List<List<ClusterBench.Setup>> visits = new ArrayList<>();
      if (root.hasNonNull("visits")) {
        for (JsonNode v : root.get("visits")) {
          visits.add(MAPPER.convertValue(v, SETUPS));
        }
      }
      // before the driver's CPUs were recorded, a cluster that shared them recorded their count
      int shared = setups.stream().filter(s -> s.sharedCpus() != null && s.sharedCpus() > 0)
          .mapToInt(ClusterBench.Setup::sharedCpus).findFirst().orElse(0);
      return write(dir, setups, visits, weights, root.hasNonNull("driverCpus") ? root.get("driverCpus").asInt()
          : shared > 0 ? shared : measuredCpus(dir));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("could not read " + file + " as the cluster results: " + e.getMessage(), e);
    }
  }

  /**
   * The CPUs of the machine that measured {@code dir}'s results, for those saved before {@code cluster.json}
   * recorded them: the run's {@code results.json} environment, else this machine's.
   */
  private static int measuredCpus(Path dir) throws IOException {
    Path results = dir.resolve("results.json");
    if (Files.exists(results)) {
      JsonNode cpus = MAPPER.readTree(results.toFile()).path("environment").path("CPUs");
      if (cpus.isInt() && cpus.asInt() > 0) {
        return cpus.asInt();
      }
    }
    return MachineLoad.cpus();
  }

  private static String loadTable(List<ClusterBench.Setup> setups) {
    Rows t = new Rows(List.of("session", "partitions", "CPUs the driver and executors share", "oversubscribed",
        "CPUs busy per iteration (machine's CPU time ÷ median iteration)", "wall s", "loadavg before",
        "loadavg after"));
    for (ClusterBench.Setup s : setups) {
      t.add(s.where(), s.partitions(), s.sharedCpus() == null ? "this machine's" : s.sharedCpus() == 0
          ? "none: executors on hosts of their own" : s.sharedCpus() < 0 ? "some executors' only" : s.sharedCpus(),
          s.oversubscribed() ? "yes: judge bytes, not seconds" : "no", busyRange(s),
          BenchReport.number(s.load().wallSeconds()), s.load().loadavgBefore(), s.load().loadavgAfter());
    }
    return t.toMarkdown();
  }

  /**
   * How many of the machine's CPUs were busy during a session's iterations, lowest to highest over its checked
   * rows: near the machine's count, the CPUs were saturated and the iteration's seconds measure how the processes
   * shared them. Only where every process ran on this machine ("—" otherwise, or where not measured).
   */
  static String busyRange(ClusterBench.Setup s) {
    if (s.sharedCpus() != null && s.sharedCpus() <= 0) {
      return "—";
    }
    double[] busy = s.breakdowns().stream().filter(ModelCheck::checked).filter(b -> b.cpuMs() != null)
        .mapToDouble(b -> b.cpuMs() / b.msMedian()).toArray();
    if (busy.length == 0) {
      return "—";
    }
    return String.format(Locale.ROOT, "%.1f–%.1f", Arrays.stream(busy).min().getAsDouble(),
        Arrays.stream(busy).max().getAsDouble());
  }

  /** Every visit's median iteration per cluster and row, and their spread: the drift the means smooth over. */
  private static String visitTable(List<List<ClusterBench.Setup>> visits) {
    Rows t = new Rows(List.of("session", "batch", "path", "ms/iteration, each visit in turn", "max ÷ min"));
    for (List<ClusterBench.Setup> v : visits) {
      for (int k = 0; k < v.get(0).breakdowns().size(); k++) {
        IterationBreakdown b = v.get(0).breakdowns().get(k);
        if (!b.weights().equals("broadcast") && !b.weights().equals("channel")) {
          continue;
        }
        int row = k;
        double[] ms = v.stream().mapToDouble(s -> s.breakdowns().get(row).msMedian()).toArray();
        double lo = Arrays.stream(ms).min().orElse(Double.NaN);
        double hi = Arrays.stream(ms).max().orElse(Double.NaN);
        t.add(v.get(0).where(), b.batch(), b.path(), String.join(" / ",
            Arrays.stream(ms).mapToObj(BenchReport::number).toList()),
            String.format(Locale.ROOT, "%.2f", hi / lo));
      }
    }
    return "Each visit's median ms/iteration (the figures below are their means):\n\n" + t.toMarkdown();
  }

  private static String breakdownTable(List<ClusterBench.Setup> setups, int weights) {
    List<String> cols = new ArrayList<>(List.of("figure"));
    setups.forEach(s -> cols.add(s.where() + " (P=" + s.partitions() + ")"));
    Rows t = new Rows(cols);
    row(t, setups, "bare job (P empty tasks, collect), ms", s -> s.overhead().bareJobMs());
    // results saved before the floor was measured have none
    row(t, setups, "Spark's floor (runJob, named function), ms",
        s -> s.overhead().runJobMs() != null ? s.overhead().runJobMs() : Double.NaN);
    row(t, setups, "bare job + 1.4 MB broadcast + P × 1.4 MB results, ms", s -> s.overhead().roundTripMs());
    row(t, setups, "floor after a shuffle (runJob; each task 1 record to each of P reducers), ms",
        s -> s.overhead().shuffleJobMs() != null ? s.overhead().shuffleJobMs() : Double.NaN);
    List<IterationBreakdown> first = setups.get(0).breakdowns();
    for (int i = 0; i < first.size(); i++) {
      int k = i;
      IterationBreakdown b0 = first.get(i);
      String at = ", batch " + b0.batch() + ", " + b0.path() + b0.variant();
      rowB(t, setups, k, "ms/iteration (median)" + at, IterationBreakdown::msMedian);
      rowB(t, setups, k, "  driver: pack + create broadcast, ms" + at, IterationBreakdown::broadcastMs);
      rowB(t, setups, k, "  task: fetch + unpack weights, ms/task" + at, IterationBreakdown::fetchMsPerTask);
      rowB(t, setups, k, "  task: deserialise (Spark), ms/task" + at, IterationBreakdown::deserializeMsPerTask);
      rowB(t, setups, k, "  task: compute, ms/task" + at, IterationBreakdown::computeMsPerTask);
      rowB(t, setups, k, "  task: serialise result (Spark), ms/task" + at,
          IterationBreakdown::resultSerializeMsPerTask);
      rowB(t, setups, k, "  driver: job, submit to last result, ms" + at, IterationBreakdown::jobMs);
      rowB(t, setups, k, "  driver: sum + update, ms" + at, IterationBreakdown::sumUpdateMs);
      rowB(t, setups, k, "  driver: remove broadcast, ms" + at, IterationBreakdown::removeMs);
      rowB(t, setups, k, "  GC in tasks, ms" + at, IterationBreakdown::gcMs);
      rowB(t, setups, k, "  task results into driver, KB" + at, b -> b.resultBytesIn() / 1024);
      rowB(t, setups, k, "  broadcast fetched by executors, KB" + at, b -> b.broadcastBytes() / 1024);
      rowB(t, setups, k, "  shuffle written, KB" + at, b -> b.shuffleBytes() / 1024);
      rowB(t, setups, k, "  machine's CPU time (every process; mean), ms" + at,
          b -> b.cpuMs() != null ? b.cpuMs() : Double.NaN);
      List<Object> cost = new ArrayList<>(List.of("  Spark's cost = ms/it − compute/task, ÷ bare job" + at));
      for (ClusterBench.Setup s : setups) {
        IterationBreakdown b = s.breakdowns().get(k);
        double c = b.msMedian() - b.computeMsPerTask();
        cost.add(BenchReport.number(c) + " ms = " + BenchReport.number(c / s.overhead().bareJobMs()) + "×");
      }
      t.add(cost.toArray());
    }
    for (ClusterBench.Setup s : setups) {
      for (TrainingRun r : s.runs()) {
        t.add(timeRow(setups, s, r));
      }
    }
    return t.toMarkdown();
  }

  private static Object[] timeRow(List<ClusterBench.Setup> setups, ClusterBench.Setup owner, TrainingRun r) {
    List<Object> cells = new ArrayList<>(List.of(String.format(Locale.ROOT, "time to 97%% (s), batch %d lr %.3g",
        r.batch(), r.lr())));
    for (ClusterBench.Setup s : setups) {
      cells.add(s == owner ? BenchReport.number(r.timeTo97()) + " (" + BenchReport.number(r.iterationMs(60000))
          + " ms/it)" : "");
    }
    return cells.toArray();
  }

  private static void row(Rows t, List<ClusterBench.Setup> setups, String name,
      ToDoubleFunction<ClusterBench.Setup> f) {
    List<Object> cells = new ArrayList<>(List.of(name));
    setups.forEach(s -> cells.add(BenchReport.number(f.applyAsDouble(s))));
    t.add(cells.toArray());
  }

  private static void rowB(Rows t, List<ClusterBench.Setup> setups, int k, String name,
      ToDoubleFunction<IterationBreakdown> f) {
    List<Object> cells = new ArrayList<>(List.of(name));
    setups.forEach(s -> cells.add(BenchReport.number(f.applyAsDouble(s.breakdowns().get(k)))));
    t.add(cells.toArray());
  }

  /** The fitted model on real links, every executor on cores of its own, the driver on {@code cpus} CPUs. */
  private static String projection(ModelFit fitted, int cpus) {
    StringBuilder out = new StringBuilder("## Projection (batch 1024; per executor the fitted CPU costs, plus the "
        + "link; the channel's driver copying on " + cpus + " CPUs)\n\n");
    Rows t = new Rows(List.of("weights", "link", "P", "jobs path chosen", "ms/iteration", "samples/s",
        "driver bytes in/iteration", "batch where compute hides communication", "channel ms/iteration",
        "channel summed among tasks, ms/iteration", "channel chosen", "its samples/s"));
    for (int w : new int[] {CommunicationModel.MEASURED_WEIGHTS, BIG_MLP}) {
      for (double link : new double[] {1.25e6, 3.125e6}) {
        CommunicationModel m = fitted.jobs().onLink(link);
        CommunicationModel c = fitted.channel().onLink(link);
        for (int p : PROJECTED_P) {
          Aggregation a = m.best(p, w);
          double ms = m.iterationMs(p, w, 1024, a);
          t.add(w, link == 1.25e6 ? "10 GbE" : "25 GbE", p, a.name().toLowerCase(Locale.ROOT),
              BenchReport.number(ms), BenchReport.number(1024 / ms * 1000),
              BenchReport.number(IterationTraffic.of(p, w, Exchange.JOBS, a).intoDriver() / 1e6) + " MB",
              m.hidingBatch(p, w),
              BenchReport.number(c.denseChannelIterationMs(p, w, 1024, cpus)),
              BenchReport.number(c.slicedChannelIterationMs(p, w, 1024, cpus)),
              c.slicedChannelPays(p, w, cpus) ? "sliced" : "direct",
              BenchReport.number(1024 / channelMs(c, p, w, 1024, cpus) * 1000));
        }
      }
    }
    return out.append(t.toMarkdown()).toString();
  }

  /** The channel's iteration with the aggregation {@code auto} would choose for it. */
  private static double channelMs(CommunicationModel m, int p, int weights, int batch, int cpus) {
    return m.slicedChannelPays(p, weights, cpus) ? m.slicedChannelIterationMs(p, weights, batch, cpus)
        : m.denseChannelIterationMs(p, weights, batch, cpus);
  }

  private static void charts(Path dir, List<ClusterBench.Setup> clusters, ModelFit m, int weights,
      int cpus) {
    Map<String, double[][]> ms = new LinkedHashMap<>();
    Map<String, double[][]> rate = new LinkedHashMap<>();
    List<IterationBreakdown> kinds = clusters.get(0).breakdowns();
    for (int k = 0; k < kinds.size(); k++) {
      IterationBreakdown kind = kinds.get(k);
      double[] xs = new double[clusters.size()];
      double[] ys = new double[clusters.size()];
      double[] sps = new double[clusters.size()];
      for (int i = 0; i < clusters.size(); i++) {
        IterationBreakdown b = clusters.get(i).breakdowns().get(k);
        xs[i] = clusters.get(i).partitions();
        ys[i] = b.msMedian();
        sps[i] = b.batch() / b.msMedian() * 1000;
      }
      String name = "measured, batch " + kind.batch() + ", " + kind.path() + kind.variant();
      ms.put(name, new double[][] {xs, ys});
      rate.put(name, new double[][] {xs, sps});
    }
    for (int batch : new int[] {kinds.get(0).batch(), kinds.get(kinds.size() - 1).batch()}) {
      double[] xs = new double[PROJECTED_P.length];
      double[] ys = new double[PROJECTED_P.length];
      double[] sps = new double[PROJECTED_P.length];
      CommunicationModel ten = m.jobs().onLink(1.25e6);
      CommunicationModel tenChannel = m.channel().onLink(1.25e6);
      for (int i = 0; i < PROJECTED_P.length; i++) {
        xs[i] = PROJECTED_P[i];
        ys[i] = ten.iterationMs(PROJECTED_P[i], weights, batch, ten.best(PROJECTED_P[i], weights));
        sps[i] = batch / ys[i] * 1000;
      }
      ms.put("model, 10 GbE, batch " + batch, new double[][] {xs, ys});
      rate.put("model, 10 GbE, batch " + batch, new double[][] {xs, sps});
      double[] cys = new double[PROJECTED_P.length];
      double[] csps = new double[PROJECTED_P.length];
      for (int i = 0; i < PROJECTED_P.length; i++) {
        cys[i] = channelMs(tenChannel, PROJECTED_P[i], weights, batch, cpus);
        csps[i] = batch / cys[i] * 1000;
      }
      ms.put("model, channel (auto), 10 GbE, batch " + batch, new double[][] {xs, cys});
      rate.put("model, channel (auto), 10 GbE, batch " + batch, new double[][] {xs, csps});
    }
    Charts.lines(dir.resolve("cluster-ms.png"), "sparknn: ms per iteration against executors", "executors P",
        "ms / iteration", ms);
    Charts.lines(dir.resolve("cluster-samples.png"), "sparknn: samples/s against executors", "executors P",
        "samples / s", rate);
  }

  private static String targets(List<ClusterBench.Setup> setups, ModelFit m, int weights, Cpus cpus) {
    StringBuilder out = new StringBuilder("\n## Targets\n\n");
    ClusterBench.Setup two = setups.stream().filter(s -> s.where().equals("cluster 2x1")).findFirst().orElse(null);
    ClusterBench.Setup local = setups.get(0);
    if (two != null) {
      Aggregation auto = CommunicationModel.LOOPBACK.best(2, weights);
      for (IterationBreakdown b : two.breakdowns()) {
        if (b.path().equals(auto.name().toLowerCase(Locale.ROOT))) {
          double ratio = (b.msMedian() - b.computeMsPerTask()) / two.overhead().bareJobMs();
          out.append(String.format(Locale.ROOT, "- Spark's cost on cluster 2x1, batch %d (%s, weights by %s): "
              + "%.2f ms − %.2f ms = %.2f× the %.2f ms bare job (target ≤ 1.3): %s%n", b.batch(), b.path(),
              b.weights(), b.msMedian(), b.computeMsPerTask(), ratio, two.overhead().bareJobMs(),
              ratio <= 1.3 ? "PASS" : "FAIL"));
        }
      }
      for (IterationBreakdown b : two.breakdowns()) {
        if (b.path().startsWith("channel")) {
          double ratio = (b.msMedian() - b.computeMsPerTask()) / two.overhead().bareJobMs();
          out.append(String.format(Locale.ROOT, "- Spark's cost on cluster 2x1, batch %d, %s: "
              + "%.2f ms − %.2f ms = %.2f× the %.2f ms bare job (target ≤ 1.3): %s%n", b.batch(), b.path(),
              b.msMedian(), b.computeMsPerTask(), ratio, two.overhead().bareJobMs(), ratio <= 1.3 ? "PASS" : "FAIL"));
        }
      }
      Double c = best97(two);
      Double l = best97(local);
      out.append(String.format(Locale.ROOT, "- best time to 97%%: cluster 2x1 %s s, %s %s s: ratio %s (target ≤ 2): "
          + "%s%n", BenchReport.number(c), local.where(), BenchReport.number(l),
          c == null || l == null ? "—" : String.format(Locale.ROOT, "%.2f", c / l),
          c == null || l == null ? "n/a" : c / l <= 2 ? "PASS" : "FAIL"));
    }
    for (int batchIndex = 0; batchIndex < setups.get(0).breakdowns().size(); batchIndex++) {
      IterationBreakdown kind = setups.get(0).breakdowns().get(batchIndex);
      if (!kind.path().endsWith("sliced")) {
        continue;
      }
      double lo = Double.MAX_VALUE;
      double hi = 0;
      StringBuilder each = new StringBuilder();
      for (ClusterBench.Setup s : setups) {
        if (s.where().startsWith("cluster")) {
          double v = s.breakdowns().get(batchIndex).resultBytesIn();
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
          each.append(String.format(Locale.ROOT, " P=%d %.0f KB;", s.partitions(), v / 1024));
        }
      }
      if (hi > 0) {
        out.append(String.format(Locale.ROOT, "- bytes into the driver per iteration, %s, batch %d:%s"
            + " max ÷ min %.3f (target ≤ 1.10): %s%n", kind.path(), kind.batch(), each, hi / lo,
            hi / lo <= 1.10 ? "PASS" : "FAIL"));
      }
    }
    if (m != null) {
      out.append(ModelCheck.verdict(setups.stream().filter(s -> s.where().startsWith("cluster")).toList(), m,
          weights, cpus));
    }
    return out.toString();
  }

  /** A table grown row by row ({@link Table} itself is immutable). */
  private static final class Rows {
    private Table table;

    Rows(List<String> columns) {
      table = new Table(columns);
    }

    void add(Object... values) {
      table = table.add(values);
    }

    String toMarkdown() {
      return table.toMarkdown();
    }
  }

  private static Double best97(ClusterBench.Setup s) {
    return s.runs().stream().map(TrainingRun::timeTo97).filter(v -> v != null).min(Double::compare).orElse(null);
  }
}
