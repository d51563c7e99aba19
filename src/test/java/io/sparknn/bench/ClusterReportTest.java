package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.CommunicationModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster report's model fit and tables, on breakdowns generated from a known model; visits to one cluster
 * size averaged.
 */
class ClusterReportTest {
  private static final int W = CommunicationModel.MEASURED_WEIGHTS;
  private static final CommunicationModel TRUTH = new CommunicationModel(6.0, 0.5, 9.0, 200_000,
      Double.POSITIVE_INFINITY, 0.4, 12.0, 2_000_000, 6.0, 0.8);
  // TRUTH's taskCpuMs as a task's metrics split it: deserialise, fetch the weights, serialise the result, GC.
  private static final double DESERIALIZE = 2.0;
  private static final double FETCH = 3.0;
  private static final double SERIALIZE = 0.5;
  private static final double GC = 0.5;

  /** A cluster of {@code p} executors, each with a CPU of its own. */
  private static ClusterBench.Setup setup(int p) {
    return setup(p, Integer.MAX_VALUE);
  }

  /**
   * A cluster of {@code p} one-core executors sharing {@code cpus} CPUs with the driver, as TRUTH has it: the
   * iterations take {@link CommunicationModel#sharedIterationMs}, and every per-task figure the tasks' clocks
   * report is stretched by the turns they take; so is the bare job's empty tasks' own work.
   */
  private static ClusterBench.Setup setup(int p, int cpus) {
    return setup(p, cpus, TRUTH);
  }

  /** As above, the jobs path's tasks computing as {@code jobs} has it (the channel's as TRUTH). */
  private static ClusterBench.Setup setup(int p, int cpus, CommunicationModel jobs) {
    return setup(p, cpus, jobs, CommunicationModel.turns(p, cpus));
  }

  /**
   * As above, the executors' own work (per-task work and compute) taking {@code stretch} times as long as on CPUs
   * of their own, whatever {@code max(1, p/cpus)} says: tasks that interleave on the shared CPUs, not one after
   * another. The channel's tasks' copying with their peers, which they do not time apart, keeps the turns.
   */
  private static ClusterBench.Setup setup(int p, int cpus, CommunicationModel jobs, double stretch) {
    double turns = CommunicationModel.turns(p, cpus);
    String where = "cluster " + p + "x1";
    List<IterationBreakdown> b = new ArrayList<>();
    for (int batch : new int[] {128, 1024}) {
      double compute = TRUTH.computeMs(p, W, batch) * stretch;
      double jobsCompute = jobs.computeMs(p, W, batch) * stretch;
      for (Aggregation a : Aggregation.values()) {
        double ms = jobs.iterationMs(p, W, batch, a) + (stretch - 1) * jobs.executorChainMs(p, W, batch, a);
        double in = a == Aggregation.DIRECT ? 8.0 * W * p : 8.0 * W;
        // a sliced iteration runs two tasks per partition, so twice the GC
        double gc = GC * stretch * p * (a == Aggregation.SLICED ? 2 : 1);
        b.add(new IterationBreakdown(where, p, batch, a.name().toLowerCase(), "broadcast", 100, ms, 1,
            FETCH * stretch, jobsCompute, DESERIALIZE * stretch, SERIALIZE * stretch, ms - 2, 0.3, 0.2, gc, in,
            in, a == Aggregation.SLICED ? 8.0 * W * p : 0, 8.0 * W * p, null));
      }
      // Replies without their zeros: 70% of a dense gradient in, the weights out dense. The driver's timers split
      // TRUTH's driverStepMs into packing (0.5 ms) and scaling the sum and the update (0.3 ms).
      double in = 0.7 * 8.0 * W * p;
      double ms = TRUTH.channelIterationMs(p, W, batch, in + 8.0 * W * p, cpus)
          + (stretch - 1) * TRUTH.computeMs(p, W, batch);
      b.add(new IterationBreakdown(where, p, batch, "channel", "channel", 100, ms, 0.5, 0.1, compute, 0, 0, ms - 1,
          0.3, 0, 0, in, in, 0, 8.0 * W * p, 2 * ms));
      // The tasks adding the sums among themselves: one vector each way through the driver.
      double sliced = TRUTH.slicedChannelIterationMs(p, W, batch, cpus) + (stretch - 1) * TRUTH.computeMs(p, W, batch)
          + (turns - 1) * TRUTH.peerCopyMs(p, W);
      b.add(new IterationBreakdown(where, p, batch, "channel_sliced", "channel", 100, sliced, 0.5, 0.1, compute, 0,
          0, sliced - 1, 0.3, 0, 0, 8.0 * W, 8.0 * W, 0, 8.0 * W, null));
    }
    double runJob = TRUTH.jobLatencyMs(p) + (turns - 1) * (DESERIALIZE + SERIALIZE);
    SparkOverheadBench.Result bare = new SparkOverheadBench.Result(p, 10, W, 12, 20, runJob, runJob + 7.0 * p);
    MachineLoad.Section load = new MachineLoad.Section("x", 1, "0 0 0", "0 0 0", 0.0);
    boolean own = cpus == Integer.MAX_VALUE;
    return new ClusterBench.Setup(where, p, 1, p, !own && p > cpus, bare, b, List.of(), load, own ? 0 : cpus);
  }

  private static void assertRecovers(ModelFit fit) {
    // the two exchanges share every term but compute, which here is the same
    assertEquals(fit.jobs(), fit.channel().withCompute(fit.jobs().computeMs(), fit.jobs().computeUs()));
    assertEquals(TRUTH.computeMs(), fit.channel().computeMs(), 1e-9);
    assertEquals(TRUTH.computeUs(), fit.channel().computeUs(), 1e-9);
    CommunicationModel fitted = fit.jobs();
    assertEquals(TRUTH.jobMs(), fitted.jobMs(), 1e-9);
    assertEquals(TRUTH.taskMs(), fitted.taskMs(), 1e-9);
    assertEquals(TRUTH.computeMs(), fitted.computeMs(), 1e-9);
    assertEquals(TRUTH.computeUs(), fitted.computeUs(), 1e-9);
    assertEquals(TRUTH.cpuBytesPerMs(), fitted.cpuBytesPerMs(), 1e-6);
    assertEquals(TRUTH.stageMs(), fitted.stageMs(), 1e-9);
    assertEquals(TRUTH.channelBytesPerMs(), fitted.channelBytesPerMs(), 1e-3);
    assertEquals(TRUTH.taskCpuMs(), fitted.taskCpuMs(), 1e-9);
    assertEquals(TRUTH.driverStepMs(), fitted.driverStepMs(), 1e-9);
  }

  @Test
  void theFitRecoversTheModelThatGeneratedTheMeasurements() {
    assertRecovers(ModelFit.fit(List.of(setup(2), setup(4), setup(8)), W));
  }

  @Test
  void onSharedCpusTheFitRecoversTheUncontendedTermsAndPredictsTheOversubscribedClusters(@TempDir Path dir)
      throws Exception {
    List<ClusterBench.Setup> shared = List.of(setup(2, 2), setup(4, 2), setup(8, 2));
    assertRecovers(ModelFit.fit(shared, W, 2));
    // The smallest cluster itself oversubscribed (2 executors on 1 CPU): its figures are taken back to one CPU each.
    assertRecovers(ModelFit.fit(List.of(setup(2, 1), setup(4, 1), setup(8, 1)), W, 1));
    // More CPUs than the smallest cluster's executors: its channel copied on 2 of them, the larger ones on 4.
    assertRecovers(ModelFit.fit(List.of(setup(2, 4), setup(4, 4), setup(8, 4)), W, 4));
    String md = ClusterReport.write(dir, shared, W, 2);
    assertTrue(md.contains("worst 0%: PASS"), md);
    // On 2 CPUs every larger cluster is oversubscribed: no seconds test the model out of sample, and the report
    // says so, with how busy the CPUs were (the channel's rows: the machine's CPU time twice the iteration).
    assertTrue(md.contains("- the model's seconds out of sample (a cluster other than the fitted one, its executors "
        + "not oversubscribed): none here"), md);
    assertTrue(Pattern.compile("\\| cluster 4x1 +\\| 4 +\\| 2 +\\| yes: judge bytes, not seconds \\| 2.0–2.0 ")
        .matcher(md).find(), md);
    assertEquals(Cpus.loopback(2), ClusterReport.cpus(shared, 2));
    assertEquals(Cpus.ownHosts(16), ClusterReport.cpus(List.of(setup(2), setup(4)), 16));
    // Clusters of both kinds in one run: no one fit, but every measurement kept and the report still written.
    List<ClusterBench.Setup> mixed = List.of(setup(2), setup(4, 2));
    assertEquals(null, ClusterReport.cpus(mixed, 2));
    String both = ClusterReport.write(dir, mixed, W);
    assertTrue(both.contains("No communication model: the clusters did not all share the driver's CPUs alike")
        && !both.contains("## Communication model"), both);
    assertTrue(Files.readString(dir.resolve("cluster.json")).contains("\"sharedCpus\" : 2"));
    // a cluster whose executors only partly shared the driver's machine fits no model either
    ClusterBench.Setup four = setup(4, 2);
    ClusterBench.Setup partly = new ClusterBench.Setup(four.where(), 4, 1, 4, true, four.overhead(),
        four.breakdowns(), List.of(), four.load(), -1);
    assertEquals(null, ClusterReport.cpus(List.of(setup(2, 2), partly), 2));
    assertTrue(ClusterReport.write(dir, List.of(setup(2, 2), partly), W).contains("| some executors' only "));
    // Where the executors take turns, more than compute grows: 8 on 2 CPUs, direct at batch 128, is 3 more
    // chains of (taskCpuMs + compute) than TRUTH's own critical path, not 3 more computes.
    double measured = shared.get(2).breakdowns().get(0).msMedian();
    double chain = TRUTH.taskCpuMs() + TRUTH.computeMs(8, W, 128);
    assertEquals(TRUTH.iterationMs(8, W, 128, Aggregation.DIRECT) + 3 * chain, measured, 1e-9);
    // A fit that ignores the sharing takes the bare jobs' turns for the driver's cost per task, and still misses.
    CommunicationModel naive = ModelFit.fit(shared, W).jobs();
    assertTrue(naive.taskMs() > 1.5 * TRUTH.taskMs(), "naive taskMs " + naive.taskMs());
    double naiveMs = naive.iterationMs(8, W, 128, Aggregation.SLICED);
    double slicedMeasured = shared.get(2).breakdowns().get(1).msMedian();
    assertTrue(naiveMs < 0.8 * slicedMeasured, naiveMs + " against " + slicedMeasured);
  }

  @Test
  void eachExchangeIsPredictedWithItsOwnTasksCompute(@TempDir Path dir) throws Exception {
    // the jobs path's tasks 40% slower per sample than the channel's, as measured on the loopback clusters
    CommunicationModel slower = TRUTH.withCompute(0.6, 1.4 * TRUTH.computeUs());
    List<ClusterBench.Setup> shared = List.of(setup(2, 2, slower), setup(4, 2, slower), setup(8, 2, slower));
    ModelFit fit = ModelFit.fit(shared, W, 2);
    assertEquals(0.6, fit.jobs().computeMs(), 1e-9);
    assertEquals(1.4 * TRUTH.computeUs(), fit.jobs().computeUs(), 1e-9);
    assertEquals(TRUTH.computeMs(), fit.channel().computeMs(), 1e-9);
    assertEquals(TRUTH.computeUs(), fit.channel().computeUs(), 1e-9);
    assertEquals(TRUTH.cpuBytesPerMs(), fit.jobs().cpuBytesPerMs(), 1e-6);
    assertEquals(TRUTH.channelBytesPerMs(), fit.channel().channelBytesPerMs(), 1e-3);
    String md = ClusterReport.write(dir, shared, W, 2);
    assertTrue(md.contains("worst 0%: PASS"), md);
  }

  @Test
  void onSharedCpusTheExecutorsAreChargedTheLargerOfTheirTurnsAndWhatTheirTasksMeasured(@TempDir Path dir)
      throws Exception {
    // 4 and 8 one-core executors on 2 CPUs whose own work took 2.5 and 5 times as long, not 2 and 4: they waited
    // on more than the CPUs
    List<ClusterBench.Setup> waiting = List.of(setup(2, 2), setup(4, 2, TRUTH, 2.5), setup(8, 2, TRUTH, 5));
    assertRecovers(ModelFit.fit(waiting, W, 2));
    String md = ClusterReport.write(dir, waiting, W, 2);
    assertTrue(md.contains("worst 0%: PASS"), md);
    // the turns alone charge 4x1's direct iteration at batch 128 half its executors' work less than it took
    double measured = waiting.get(1).breakdowns().get(0).msMedian();
    double byTurns = TRUTH.sharedIterationMs(4, W, 128, Aggregation.DIRECT, 2);
    assertEquals(0.5 * TRUTH.executorChainMs(4, W, 128, Aggregation.DIRECT), measured - byTurns, 1e-9);
    Matcher worst = Pattern.compile("with their turns alone: worst (\\d+)%").matcher(md);
    assertTrue(worst.find() && Integer.parseInt(worst.group(1)) >= 10, md);
    // Tasks that measured less than their turns (starting one after another, each timing only its own part): the
    // turns bind, and TRUTH's iterations are predicted as they are.
    List<ClusterBench.Setup> staggered = new ArrayList<>();
    for (ClusterBench.Setup s : List.of(setup(2, 2), setup(4, 2), setup(8, 2))) {
      double turns = CommunicationModel.turns(s.partitions(), 2);
      staggered.add(clocks(s, 1.0 + (turns - 1) / 2));
    }
    assertTrue(ClusterReport.write(dir, staggered, W, 2).contains("worst 0%: PASS (with their turns alone: worst 0%)"));
  }

  /** {@code s} with every task's own clocks ({@code factor} of the turns' stretch) reading {@code factor} as much. */
  private static ClusterBench.Setup clocks(ClusterBench.Setup s, double factor) {
    double turns = CommunicationModel.turns(s.partitions(), 2);
    double scale = factor / turns;
    List<IterationBreakdown> rows = s.breakdowns().stream().map(b -> new IterationBreakdown(b.where(), b.partitions(),
        b.batch(), b.path(), b.weights(), b.iterations(), b.msMedian(), b.broadcastMs(), b.fetchMsPerTask() * scale,
        b.computeMsPerTask() * scale, b.deserializeMsPerTask() * scale, b.resultSerializeMsPerTask() * scale,
        b.jobMs(), b.sumUpdateMs(), b.removeMs(), b.gcMs() * scale, b.gradientBytesIn(), b.resultBytesIn(),
        b.shuffleBytes(), b.broadcastBytes(), b.cpuMs())).toList();
    return new ClusterBench.Setup(s.where(), s.workers(), s.cores(), s.partitions(), s.oversubscribed(),
        s.overhead(), rows, s.runs(), s.load(), s.sharedCpus());
  }

  @Test
  void theSlicedPathPaysOnceTheDriversLinkCarriesMoreThanASecondStage() {
    // direct P·b·c against sliced stage + task·P + 2·b·c: crosses where P·b·c − task·P grows past them
    assertEquals(Aggregation.DIRECT, TRUTH.best(2, W));
    assertEquals(Aggregation.SLICED, TRUTH.best(100, W));
    CommunicationModel tenGbE = TRUTH.onLink(1.25e6);
    assertTrue(tenGbE.msPerByte() > TRUTH.msPerByte());
    long b = tenGbE.hidingBatch(8, W);
    assertTrue(tenGbE.computeMs(8, W, (int) b) >= tenGbE.iterationMs(8, W, (int) b, tenGbE.best(8, W))
        - tenGbE.computeMs(8, W, (int) b) - 1e-9, "at the hiding batch compute covers the rest");
  }

  /** {@code s} measured again, every iteration {@code factor} times as long. */
  private static ClusterBench.Setup slower(ClusterBench.Setup s, double factor) {
    List<IterationBreakdown> rows = s.breakdowns().stream().map(b -> new IterationBreakdown(b.where(), b.partitions(),
        b.batch(), b.path(), b.weights(), b.iterations(), b.msMedian() * factor, b.broadcastMs(), b.fetchMsPerTask(),
        b.computeMsPerTask(), b.deserializeMsPerTask(), b.resultSerializeMsPerTask(), b.jobMs(), b.sumUpdateMs(),
        b.removeMs(), b.gcMs(), b.gradientBytesIn(), b.resultBytesIn(), b.shuffleBytes(), b.broadcastBytes(),
        b.cpuMs())).toList();
    return new ClusterBench.Setup(s.where(), s.workers(), s.cores(), s.partitions(), s.oversubscribed(),
        s.overhead(), rows, s.runs(), s.load(), s.sharedCpus());
  }

  @Test
  void visitsAreAveragedAndEachVisitsTimesShown(@TempDir Path dir) throws Exception {
    ClusterBench.Setup first = setup(2);
    ClusterBench.Setup second = slower(first, 1.5);
    ClusterBench.Setup merged = ClusterVisits.merge(List.of(first, second));
    IterationBreakdown a = first.breakdowns().get(0);
    IterationBreakdown m = merged.breakdowns().get(0);
    assertEquals(1.25 * a.msMedian(), m.msMedian(), 1e-9);
    assertEquals(2 * a.iterations(), m.iterations());
    assertEquals(a.resultBytesIn(), m.resultBytesIn(), 1e-9);
    assertEquals(2 * first.overhead().jobs(), merged.overhead().jobs());
    assertEquals(first.load().wallSeconds() * 2, merged.load().wallSeconds(), 1e-9);
    String md = ClusterReport.write(dir, List.of(merged), List.of(List.of(first, second)), W);
    assertTrue(md.contains("ms/iteration, each visit in turn") && md.contains("| 1.50"), md);
    assertTrue(Files.readString(dir.resolve("cluster.json")).contains("\"visits\""));
    ClusterBench.Setup other = setup(4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterVisits.mean(List.of(a, other.breakdowns().get(1))));
    assertTrue(e.getMessage().contains("different breakdowns"), e.getMessage());
  }

  @Test
  void theReportIsWrittenAgainFromTheResultsItStored(@TempDir Path dir) throws Exception {
    List<ClusterBench.Setup> first = List.of(setup(2), setup(4), setup(8));
    ClusterBench.Setup again = slower(setup(2), 1.5);
    String md = ClusterReport.write(dir, first, List.of(List.of(first.get(0), again)), W);
    String stored = Files.readString(dir.resolve("cluster.json"));
    Files.delete(dir.resolve("cluster.md"));
    assertEquals(md, ClusterReport.rewrite(dir, W));
    assertEquals(md, Files.readString(dir.resolve("cluster.md")));
    assertEquals(stored, Files.readString(dir.resolve("cluster.json")));
    Path none = Files.createDirectory(dir.resolve("local-only"));
    assertEquals(null, ClusterReport.rewrite(none, W));
    Files.writeString(none.resolve("cluster.json"), "{\"setups\": [{\"where\": 3}");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusterReport.rewrite(none, W));
    assertTrue(e.getMessage().contains(none.resolve("cluster.json").toString()), e.getMessage());
    Files.writeString(none.resolve("cluster.json"), "{\"model\": null}");
    e = assertThrows(IllegalStateException.class, () -> ClusterReport.rewrite(none, W));
    assertTrue(e.getMessage().contains("no \"setups\""), e.getMessage());
  }

  @Test
  void resultsSavedBeforeTheCpusWereRecordedAreReadAsTheMachineThatMeasuredThemHadThem(@TempDir Path dir)
      throws Exception {
    // 4 and 8 executors on 2 CPUs, written as an older run wrote them: no sharedCpus, no driverCpus; its
    // results.json says the machine had 2 CPUs, whatever this one has
    List<ClusterBench.Setup> shared = List.of(setup(2, 2), setup(4, 2), setup(8, 2));
    String expected = ClusterReport.write(dir, shared, W, 2);
    String json = Files.readString(dir.resolve("cluster.json")).replace("\"driverCpus\" : 2,", "")
        .replace(", \"sharedCpus\" : 2", "").replace(",\n  \"sharedCpus\" : 2", "")
        .replaceAll(",\\s*\"sharedCpus\" : 2", "");
    assertFalse(json.contains("sharedCpus") || json.contains("driverCpus"), json);
    Files.writeString(dir.resolve("cluster.json"), json);
    Files.writeString(dir.resolve("results.json"), "{\"environment\": {\"CPUs\": 2}}");
    String again = ClusterReport.rewrite(dir, W);
    assertTrue(again.contains("loopback: the driver and every executor on 2 CPUs"), again);
    assertTrue(again.contains("worst 0%: PASS"), again);
    assertTrue(again.contains("| cluster 8x1 | 8          | this machine's "), again);
    assertEquals(expected.substring(expected.indexOf("## Communication model")),
        again.substring(again.indexOf("## Communication model")));
  }

  @Test
  void theReportHoldsEverySessionTheModelCheckAndTheTargets(@TempDir Path dir) throws Exception {
    String md = ClusterReport.write(dir, List.of(setup(2), setup(4), setup(8)), W, 64);
    assertTrue(md.contains("| cluster 2x1 (P=2) | cluster 4x1 (P=4) | cluster 8x1 (P=8) |"), md);
    // the floor after a shuffle, and the machine's CPU time where it was measured (the channel) and blank where not
    assertTrue(Pattern.compile("floor after a shuffle [^|]*\\| 21.0 +\\| 36.0 +\\| 66.0 +\\|").matcher(md).find(),
        md);
    assertTrue(Pattern.compile("machine's CPU time [^|]*, batch 128, direct +\\| — +\\| — +\\| — +\\|")
        .matcher(md).find(), md);
    double channelMs = setup(8).breakdowns().get(2).msMedian();
    assertTrue(md.contains("| " + BenchReport.number(2 * channelMs) + " "), md);
    assertTrue(md.contains("model within 25% of measured at every cluster, batch and path (the channel included; "
        + "on shared CPUs the larger of the executors' turns and what their tasks measured): worst 0%: PASS (with "
        + "their turns alone: worst 0%)"), md);
    assertTrue(md.contains("- the model's seconds, worst row by session: cluster 2x1 (fitted) 0%; cluster 4x1 "
        + "(predicted) 0%; cluster 8x1 (predicted) 0%\n"), md);
    // executors on hosts of their own: the larger clusters test the model's seconds, not only its fit
    assertTrue(md.contains("| cluster 8x1 | 8          | none: executors on hosts of their own | no "), md);
    assertTrue(md.contains("- the model's seconds out of sample (cluster 4x1, cluster 8x1, 16 rows): worst 0% "
        + "(target ≤ 25%): PASS\n"), md);
    assertTrue(md.contains("Bytes per iteration, measured against the model's count"), md);
    assertTrue(md.contains("- the model's bytes per iteration at every cluster, batch and path"), md);
    assertTrue(md.contains("Spark's cost on cluster 2x1, batch 128, channel:"), md);
    assertTrue(md.contains("Spark's cost on cluster 2x1, batch 128, channel_sliced:"), md);
    assertTrue(md.contains("sliced, batch 128: P=2 1361 KB; P=4 1361 KB; P=8 1361 KB; max ÷ min 1.000"), md);
    assertTrue(md.contains("channel_sliced, batch 128: P=2 1361 KB; P=4 1361 KB; P=8 1361 KB; max ÷ min 1.000"), md);
    assertTrue(Files.size(dir.resolve("cluster-ms.png")) > 0 && Files.size(dir.resolve("cluster.json")) > 0);
  }
}
