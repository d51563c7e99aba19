package io.sparknn.experiments;

import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import io.sparknn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TrainingListener} that keeps what an experiment's tables and charts need: every epoch's metrics
 * and every iteration's mini-batch loss, and prints one progress line per epoch prefixed by the run's label
 * (several runs may print concurrently). Safe to read from another thread once training has returned.
 */
public final class TrainingHistory implements TrainingListener {
  private final String label;
  private final List<EpochMetrics> epochs = new ArrayList<>();
  private final List<Double> iterationLosses = new ArrayList<>();

  public TrainingHistory(String label) {
    this.label = label;
  }

  @Override
  public synchronized void onEpoch(EpochMetrics m) {
    epochs.add(m);
    Evaluation v = m.validation();
    System.out.printf("[%s] epoch %d  loss %.4f  val_loss %s  val_acc %s  %.1fs%n", label, m.epoch(), m.trainLoss(),
        v == null ? "-" : String.format("%.4f", v.loss()),
        v == null || v.confusion().length == 0 ? "-" : String.format("%.2f%%", 100 * v.accuracy()), m.elapsedSec());
  }

  @Override
  public synchronized void onIteration(int epoch, long iteration, double loss, double[] weights) {
    iterationLosses.add(loss);
  }

  public synchronized List<EpochMetrics> epochs() {
    return List.copyOf(epochs);
  }

  /** Mean mini-batch loss of each iteration, in order. */
  public synchronized double[] iterationLosses() {
    return iterationLosses.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code {epochs, validation accuracy}} for a line chart. */
  public synchronized double[][] validationAccuracyCurve() {
    double[] x = new double[epochs.size()];
    double[] y = new double[epochs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = epochs.get(i).epoch();
      y[i] = epochs.get(i).validation() == null ? Double.NaN : epochs.get(i).validation().accuracy();
    }
    return new double[][] {x, y};
  }

  /** {@code {epochs, validation loss}} for a line chart. */
  public synchronized double[][] validationLossCurve() {
    double[] x = new double[epochs.size()];
    double[] y = new double[epochs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = epochs.get(i).epoch();
      y[i] = epochs.get(i).validation() == null ? Double.NaN : epochs.get(i).validation().loss();
    }
    return new double[][] {x, y};
  }

  /** {@code {epochs, training loss}} for a line chart. */
  public synchronized double[][] trainingLossCurve() {
    double[] x = new double[epochs.size()];
    double[] y = new double[epochs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = epochs.get(i).epoch();
      y[i] = epochs.get(i).trainLoss();
    }
    return new double[][] {x, y};
  }

  /** {@code {iteration, loss}} for a line chart. */
  public double[][] iterationLossCurve() {
    double[] y = iterationLosses();
    double[] x = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    return new double[][] {x, y};
  }
}
