package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.train.TrainingDivergedException;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;

/**
 * Runs one trainer under an {@link AccuracyClock} and turns what it measured into a {@link TrainingRun}; the
 * part the Spark and the single-JVM benchmarks share.
 */
final class TimedTraining {
  /** What a benchmark needs from a trainer. */
  interface Trainer {
    double[] weights();

    void fit(TrainingListener listener);

    /** Milliseconds per iteration each of its Spark tasks spent computing, after {@code fit}; null if none. */
    default Double taskComputeMs() {
      return null;
    }
  }

  private TimedTraining() {}

  /** The trainer options of {@code plan}: momentum SGD, at most {@code maxEpochs} epochs, the run's local steps. */
  static TrainingOptions options(BatchPlan plan, BenchOptions o) {
    return new TrainingOptions(plan.batch(), o.maxEpochs(), plan.lr(), plan.schedule(), o.seed(), null, 0)
        .withLocalSteps(o.localSteps());
  }

  static TrainingRun run(String framework, int threads, BatchPlan plan, Trainer trainer, Dataset test,
      long trainRows, BenchOptions o) {
    System.err.printf("bench: %s, %s, %d thread(s)%n", framework, plan.label(), threads);
    AccuracyClock clock = new AccuracyClock(trainer::weights, StepBenchmark.SEED_MLP, test,
        plan.evalEvery(o.evalEverySamples()), o.minEpochs(), o.maxSeconds());
    String stopped = "epochs";
    clock.start();
    try {
      trainer.fit(clock);
    } catch (AccuracyClock.Stop s) {
      stopped = s.getMessage();
    } catch (TrainingDivergedException e) {
      stopped = "diverged: " + e.getMessage();
    }
    TrainingRun run = clock.result(framework, o.compute(), threads, plan, trainRows, stopped)
        .withTaskComputeMs(trainer.taskComputeMs());
    System.err.printf("bench:   %s: %d epochs, %.1f s training, %s samples/s steady, 97%% at %s s, 98%% at %s s%n",
        stopped, run.epochsCompleted(), run.trainingSeconds(), BenchReport.number(run.steadySamplesPerSec()),
        BenchReport.number(run.timeTo97()), BenchReport.number(run.timeTo98()));
    return run;
  }

  /**
   * Trains {@code iterations} iterations untimed, on as many fresh trainers as it takes: JIT and, for Spark, the
   * scheduler's own warm-up, which takes hundreds of iterations (a few dozen left the first timed plan paying it).
   */
  static void warmUp(java.util.function.Supplier<Trainer> trainers, int iterations) {
    long[] done = {0};
    while (done[0] < iterations) {
      long before = done[0];
      try {
        trainers.get().fit(new TrainingListener() {
          @Override
          public void onEpoch(io.sparknn.train.EpochMetrics metrics) {}

          @Override
          public void onIteration(int epoch, long iteration, double loss, double[] weights) {
            done[0] = before + iteration + 1;  // a round of local steps counts its iterations
            if (done[0] >= iterations) {
              throw new AccuracyClock.Stop("warm-up done");
            }
          }
        });
      } catch (AccuracyClock.Stop expected) {
        // the normal end of a warm-up
      } catch (TrainingDivergedException e) {
        // a warm-up only needs the iterations, not a model
      }
      if (done[0] == before) {
        return;
      }
    }
  }
}
