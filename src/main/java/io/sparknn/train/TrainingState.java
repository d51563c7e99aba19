package io.sparknn.train;

/**
 * Everything a run needs to continue bit-identically: the position in the schedule, the flat weights and
 * running statistics, and the optimizer's flat state.
 *
 * @param epoch current epoch (0-based)
 * @param step next step within the epoch
 * @param weights flat parameters
 * @param state flat running statistics
 * @param optimizerState the optimizer's {@code state()}
 */
public record TrainingState(int epoch, int step, double[] weights, double[] state, double[] optimizerState) {
}
