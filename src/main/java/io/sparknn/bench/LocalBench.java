package io.sparknn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.ClassNLLCriterion;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.report.AtomicFiles;
import io.sparknn.tensor.Blas;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sections 2 and 4 of the harness, in a JVM of their own so that OpenBLAS can have its own thread count
 * ({@code OPENBLAS_NUM_THREADS} is read once per process): the bare gemms and one training step at every batch
 * size and at every batch size ÷ P, a Spark task's share ({@link StepBenchmark#measure}), then the homework's MLP
 * trained by {@link LocalTrainer} on the same partitions, batch plans and schedule as the Spark runs, timed by the
 * same {@link AccuracyClock}. {@link #main} writes a {@link Results} as JSON to {@code --local-out};
 * {@link #inChildJvm} starts it from the harness.
 */
public final class LocalBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one LocalTrainer JVM measured. */
  /**
   * What one LocalTrainer JVM measured. {@code gemm}: one float64 step and the bare dgemms per batch size;
   * {@code taskSteps}: one step at each batch ÷ P in the run's compute dtype (sgemm for the bare products in
   * float32), what each Spark task computes.
   */
  public record Results(int threads, String blas, String openblasNumThreads, List<StepBenchmark.Figures> gemm,
      List<StepBenchmark.Figures> taskSteps, List<TrainingRun> runs, MachineLoad.Section load) {}

  private LocalBench() {}

  public static void main(String[] args) throws IOException {
    BenchOptions o = BenchOptions.parse(args);
    if (o.localOut() == null || o.partitions() <= 0) {
      throw new IllegalArgumentException(
          "LocalBench needs --local-out FILE and --partitions P (the harness passes them)");
    }
    MachineLoad.Sample before = MachineLoad.sample();
    Dataset[] mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    Dataset[] parts = PartitionedDataset.split(mnist[0], o.partitions());
    List<BatchPlan> plans = o.plans(mnist[0].rows());
    int threads = openblasThreads();
    TreeSet<Integer> gemmBatches = new TreeSet<>();
    TreeSet<Integer> taskBatches = new TreeSet<>();
    gemmBatches.add(1024);  // the step-versus-gemm target is stated at batch 1024
    for (BatchPlan plan : plans) {
      gemmBatches.add(plan.batch());
      taskBatches.add(Math.max(1, plan.batch() / o.partitions()));  // what each of the P Spark tasks computes
    }
    List<StepBenchmark.Figures> gemm = new ArrayList<>();
    for (int b : gemmBatches) {
      System.err.printf("bench: gemm and one training step at batch %d, %d BLAS thread(s)%n", b, threads);
      gemm.add(StepBenchmark.measure(b));
    }
    List<StepBenchmark.Figures> taskSteps = new ArrayList<>();
    for (int b : taskBatches) {
      System.err.printf("bench: one training step at batch %d (a task's share), %s, %d BLAS thread(s)%n", b,
          o.compute(), threads);
      taskSteps.add(StepBenchmark.measure(b, o.model()));
    }
    List<TrainingRun> runs = new ArrayList<>();
    if (o.runs("local")) {
      TimedTraining.warmUp(() -> trainer(parts, plans.get(0), o), SparknnBench.WARMUP_ITERATIONS);
      for (BatchPlan plan : plans) {
        runs.add(TimedTraining.run("local", threads, plan, trainer(parts, plan, o), mnist[1], mnist[0].rows(), o));
      }
    }
    Results r = new Results(threads, Blas.implementation(), System.getenv("OPENBLAS_NUM_THREADS"), gemm, taskSteps, runs,
        MachineLoad.between("local JVM, " + threads + " BLAS thread(s)", before, MachineLoad.sample()));
    AtomicFiles.writeString(Path.of(o.localOut()), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
  }

  private static TimedTraining.Trainer trainer(Dataset[] parts, BatchPlan plan, BenchOptions o) {
    Sequential model = o.model().build(o.seed());
    LocalTrainer t = new LocalTrainer(model, new Objective(new ClassNLLCriterion(), Target.CLASSES),
        new SgdMomentum(BatchPlan.MOMENTUM), TimedTraining.options(plan, o));
    return new TimedTraining.Trainer() {
      @Override
      public double[] weights() {
        return t.model().parameters();
      }

      @Override
      public void fit(TrainingListener listener) {
        t.fit(parts, null, listener);
      }
    };
  }

  private static int openblasThreads() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Runs {@link #main} in a child JVM with this JVM's flags and class path and {@code OPENBLAS_NUM_THREADS=threads};
   * its progress goes to this process's stderr.
   */
  static Results inChildJvm(String[] harnessArgs, int threads, int partitions, Path dir) {
    Path out = dir.resolve("local-" + threads + "t.json");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LocalBench.class.getName());
    cmd.addAll(List.of(harnessArgs));
    cmd.addAll(List.of("--partitions", Integer.toString(partitions), "--local-out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = pb.environment();
    env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
    try {
      Process p = pb.start();
      int code = p.waitFor();
      if (code != 0 || !Files.exists(out)) {
        throw new IllegalStateException("LocalBench JVM with " + threads + " thread(s) exited with " + code);
      }
      return JSON.readValue(new File(out.toString()), Results.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the LocalBench JVM", e);
    }
  }
}
