package io.sparknn.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one harness run measured, section by section (a skipped section is empty or null), plus the
 * environment it ran in. {@link BenchReport} turns it into the table and the target checks.
 *
 * @param environment BLAS, threads, Spark master and parallelism, dtype, Java flags, load — as printed
 * @param trainRows rows of the training set (60,000 for MNIST)
 * @param sparknn section 1, one run per plan
 * @param local sections 2 and 4, one entry per LocalTrainer JVM (thread count)
 * @param overhead section 2's bare Spark jobs, or null
 * @param mllib section 3, one fit per solver and iteration limit
 * @param torch section 5, one run per dtype and plan
 * @param torchUnavailable why PyTorch did not run, or null
 * @param load the machine's load during each section
 */
public record BenchResults(Map<String, Object> environment, List<BatchPlan> plans, long trainRows,
    List<TrainingRun> sparknn, List<LocalBench.Results> local, SparkOverheadBench.Result overhead,
    List<MllibBench.Fit> mllib, List<TrainingRun> torch, String torchUnavailable, List<MachineLoad.Section> load) {
  public BenchResults {
    plans = List.copyOf(plans);
    sparknn = sparknn == null ? List.of() : List.copyOf(sparknn);
    local = local == null ? List.of() : List.copyOf(local);
    mllib = mllib == null ? List.of() : List.copyOf(mllib);
    torch = torch == null ? List.of() : List.copyOf(torch);
    load = load == null ? List.of() : List.copyOf(load);
  }
}
