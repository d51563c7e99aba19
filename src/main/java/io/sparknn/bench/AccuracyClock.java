package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.ClassNLLCriterion;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Evaluator;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A training listener that times a run with a clock that stops while the model is tested: every
 * {@code evalEvery} iterations and at the end of every epoch, the current weights are copied into a model of its
 * own in this (the driver's) JVM and evaluated on the test set with {@link Evaluator}, the same way for
 * {@code SparkTrainer} and {@code LocalTrainer}. It records each epoch's and each steady iteration's training
 * time and the first time each accuracy target is reached.
 *
 * <p>Trainers have no early stop, so once every target has been reached and at least {@code minEpochs} epochs are
 * done, or the training time exceeds {@code maxSeconds}, {@link #onEpoch} throws {@link Stop}, which the caller
 * catches. Only for models without running statistics (the weights alone are copied), such as the homework's MLP.
 */
final class AccuracyClock implements TrainingListener {
  static final double[] TARGETS = {0.97, 0.98};

  /** Thrown at the end of an epoch to end a run early; carries why. */
  static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Supplier<double[]> currentWeights;
  private final Sequential evalModel;
  private final Objective objective = new Objective(new ClassNLLCriterion(), Target.CLASSES);
  private final Dataset test;
  private final int evalEvery;
  private final int minEpochs;
  private final double maxSeconds;
  private final List<Double> epochSeconds = new ArrayList<>();
  private final List<Double> steadyIterationMs = new ArrayList<>();
  private final Double[] reached = new Double[TARGETS.length];
  private long trainingNanos;
  private long mark;
  private double epochStart;
  private long iterations;
  private long lastEvalIteration = -1;
  private double accuracy = Double.NaN;

  /**
   * @param currentWeights the trainer's live flat weights, read at epoch ends
   * @param maxSeconds training seconds after which the run stops at the end of an epoch; 0 for no limit
   */
  AccuracyClock(Supplier<double[]> currentWeights, ModelSpec spec, Dataset test, int evalEvery, int minEpochs,
      double maxSeconds) {
    this.currentWeights = currentWeights;
    this.evalModel = spec.build(0);
    this.test = test;
    this.evalEvery = evalEvery;
    this.minEpochs = minEpochs;
    this.maxSeconds = maxSeconds;
  }

  /** Starts the clock; call right before {@code fit}. */
  void start() {
    mark = System.nanoTime();
  }

  @Override
  public void onIteration(int epoch, long iteration, double loss, double[] weights) {
    // With local steps the listener hears of a round's last iteration: its time is shared by its iterations,
    // and a round that crosses a multiple of evalEvery is evaluated at its end.
    long dt = lap();
    long before = iterations;
    iterations = iteration + 1;
    if (epoch > 0) {
      steadyIterationMs.add(dt / 1e6 / (iterations - before));
    }
    if (iterations / evalEvery > before / evalEvery) {
      evaluate(weights);
    }
  }

  @Override
  public void onEpoch(EpochMetrics metrics) {
    lap();
    double now = trainingSeconds();
    epochSeconds.add(now - epochStart);
    epochStart = now;
    if (lastEvalIteration != iterations) {
      evaluate(currentWeights.get());
    }
    System.err.printf("bench:   epoch %d: %.3f s training, test accuracy %.4f%n", epochSeconds.size(),
        epochSeconds.get(epochSeconds.size() - 1), accuracy);
    if (epochSeconds.size() >= minEpochs && reached[reached.length - 1] != null && reached[0] != null) {
      throw new Stop("targets");
    }
    if (maxSeconds > 0 && now > maxSeconds) {
      throw new Stop("budget");
    }
  }

  /** Adds the time since the last mark to the training clock and returns it. */
  private long lap() {
    long now = System.nanoTime();
    long dt = now - mark;
    trainingNanos += dt;
    mark = now;
    return dt;
  }

  /** Tests {@code weights} with the clock stopped (the caller has just lapped it). */
  private void evaluate(double[] weights) {
    System.arraycopy(weights, 0, evalModel.parameters(), 0, evalModel.parameters().length);
    Evaluation e = Evaluator.evaluate(evalModel, objective, test);
    accuracy = e.accuracy();
    lastEvalIteration = iterations;
    for (int t = 0; t < TARGETS.length; t++) {
      if (reached[t] == null && accuracy >= TARGETS[t]) {
        reached[t] = trainingSeconds();
      }
    }
    mark = System.nanoTime();
  }

  double trainingSeconds() {
    return trainingNanos / 1e9;
  }

  /** The run's figures; {@code stopped} says why it ended. */
  TrainingRun result(String framework, String dtype, int threads, BatchPlan plan, long trainRows, String stopped) {
    Double perEpoch = TrainingRun.steadySeconds(epochSeconds);
    return new TrainingRun(framework, dtype, threads, plan.batch(), plan.lr(), plan.warmupIterations(),
        epochSeconds.size(), iterations, TrainingRun.rounded(epochSeconds, 4),
        TrainingRun.median(steadyIterationMs), perEpoch, perEpoch == null ? null : trainRows / perEpoch,
        epochSeconds.size() == 1, reached[0], reached[1], Double.isNaN(accuracy) ? null : accuracy,
        trainingSeconds(), evalEvery, stopped, steadyIterationMs.isEmpty()
            ? (iterations == 0 ? null : trainingNanos / 1e6 / iterations)
            : steadyIterationMs.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), null);
  }
}
