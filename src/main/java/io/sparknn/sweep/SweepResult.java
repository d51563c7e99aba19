package io.sparknn.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * What a sweep produced.
 *
 * @param dir the sweep directory
 * @param trials every trial's record, best first
 * @param best the best trial that trained the whole budget (null: none did)
 * @param wallSeconds this session's time from the first step to the last
 * @param slots trials at once
 * @param epochsTrained epochs trained over all sessions
 * @param epochsFullBudget epochs the same trials would have trained without early stopping
 * @param bestValidation the best model's objective metric, evaluated again from {@code model/} (NaN: no best)
 * @param testAccuracy the best model's accuracy on the test set (NaN: no best)
 * @param command a {@code jobs/train-mnist.sh} command line that trains the best configuration again
 */
public record SweepResult(Path dir, List<TrialRecord> trials, TrialRecord best, double wallSeconds, int slots,
    int epochsTrained, int epochsFullBudget, double bestValidation, double testAccuracy, String command) {

  /** The fraction of the full budget that early stopping did not spend. */
  public double budgetSaved() {
    return epochsFullBudget == 0 ? 0 : 1 - (double) epochsTrained / epochsFullBudget;
  }
}
