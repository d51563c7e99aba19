package io.sparknn.sweep;

import io.sparknn.train.EpochMetrics;
import io.sparknn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/** A training listener that keeps each epoch's {@link EpochResult}. */
class EpochCollector implements TrainingListener {
  private final List<EpochResult> epochs = new ArrayList<>();
  private double lastElapsed;

  @Override
  public void onEpoch(EpochMetrics m) {
    epochs.add(EpochResult.of(m, lastElapsed));
    lastElapsed = m.elapsedSec();
  }

  List<EpochResult> epochs() {
    return epochs;
  }
}
