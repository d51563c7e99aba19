package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.ClassNLLCriterion;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.train.Evaluator;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingDivergedException;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.Locale;

/**
 * How many iterations (and epochs) the homework's MLP needs to reach a test accuracy under each plan
 * ({@code BATCH@LR[/WARMUP_EPOCHS]}, as {@code jobs/bench.sh --plans} takes them), trained by {@link LocalTrainer}
 * on the harness's two-partition cut and seed, tested every ~6,400 samples. No clock: the answer depends only on
 * the plan and the random seed, so it can be measured on a busy machine. On Spark every iteration costs a fixed time
 * (a job) on top of its arithmetic, so the plan that needs the fewest iterations (not samples) wins there.
 *
 * <pre>jobs/bench-rates.sh [--target 0.97] [--max-epochs 10] 128@0.1 512@0.2/0.5 1024@0.4/1 ...</pre>
 */
public final class IterationsToTarget {
  private IterationsToTarget() {}

  public static void main(String[] args) {
    double target = 0.97;
    int maxEpochs = 10;
    java.util.List<String> plans = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--target" -> target = Double.parseDouble(args[++i]);
        case "--max-epochs" -> maxEpochs = Integer.parseInt(args[++i]);
        default -> plans.add(args[i]);
      }
    }
    if (plans.isEmpty()) {
      throw new IllegalArgumentException("usage: jobs/bench-rates.sh [--target 0.97] [--max-epochs 10] BATCH@LR[/WARMUP_EPOCHS] ...");
    }
    Dataset[] mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    Dataset[] parts = PartitionedDataset.split(mnist[0], 2);
    System.out.printf("| plan | iterations to %.1f%% | epochs | best accuracy seen |%n| --- | --- | --- | --- |%n",
        100 * target);
    for (String text : plans) {
      BatchPlan plan = BatchPlan.parse(text, mnist[0].rows());
      Result r = run(plan, parts, mnist[1], target, maxEpochs);
      System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %.4f |", text,
          r.iterations < 0 ? "not in " + maxEpochs + " epochs" + (r.diverged ? " (diverged)" : "") : r.iterations,
          r.iterations < 0 ? "—" : String.format(Locale.ROOT, "%.2f", (double) r.iterations * plan.batch()
              / mnist[0].rows()), r.best));
    }
  }

  private record Result(long iterations, double best, boolean diverged) {}

  private static final class Reached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Reached() {
      super(null, null, false, false);
    }
  }

  private static Result run(BatchPlan plan, Dataset[] parts, Dataset test, double target, int maxEpochs) {
    Sequential model = StepBenchmark.SEED_MLP.build(42);
    Sequential probe = StepBenchmark.SEED_MLP.build(0);
    Objective objective = new Objective(new ClassNLLCriterion(), Target.CLASSES);
    LocalTrainer trainer = new LocalTrainer(model, objective, new SgdMomentum(BatchPlan.MOMENTUM),
        new TrainingOptions(plan.batch(), maxEpochs, plan.lr(), plan.schedule(), 42, null, 0));
    int every = plan.evalEvery(6400);
    long[] hit = {-1};
    double[] best = {0};
    try {
      trainer.fit(parts, null, new TrainingListener() {
        @Override
        public void onEpoch(io.sparknn.train.EpochMetrics metrics) {}

        @Override
        public void onIteration(int epoch, long iteration, double loss, double[] weights) {
          if ((iteration + 1) % every != 0) {
            return;
          }
          System.arraycopy(weights, 0, probe.parameters(), 0, weights.length);
          double acc = Evaluator.evaluate(probe, objective, test).accuracy();
          best[0] = Math.max(best[0], acc);
          if (acc >= target) {
            hit[0] = iteration + 1;
            throw new Reached();
          }
        }
      });
    } catch (Reached r) {
      return new Result(hit[0], best[0], false);
    } catch (TrainingDivergedException e) {
      return new Result(-1, best[0], true);
    }
    return new Result(-1, best[0], false);
  }
}
