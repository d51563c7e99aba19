package io.sparknn.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;

/**
 * A sweep file as written (YAML or JSON, snake_case keys), bound by {@link io.sparknn.config.ConfigLoader}
 * so that an unknown key is an error naming it. Nothing here is checked beyond the types; {@link Sweep#of}
 * validates and resolves it. Absent keys are null.
 *
 * @param name the sweep's name (default {@code sweep}), used for the default output directory
 * @param base the training config every trial starts from: a file path or an inline mapping, in the schema of
 *     {@link io.sparknn.config.TrainConfig}
 * @param set fixed overrides of the base for every trial, {@code dotted.key: value} as {@code --set} takes them
 * @param search the search space and strategy
 * @param seed seed of the random search (default 0)
 * @param objective what is optimised
 * @param budget epochs each trial may train at most
 * @param earlyStopping successive halving over rungs of epochs
 * @param mode {@code task} (default) or {@code distributed}
 * @param parallelism trials at once; 0 (default): every task slot in task mode, 2 in distributed mode
 * @param output where the sweep directory goes
 */
public record SweepSpec(
    String name,
    JsonNode base,
    LinkedHashMap<String, JsonNode> set,
    Search search,
    Long seed,
    ObjectiveSpec objective,
    Budget budget,
    @JsonProperty("early_stopping") EarlyStopping earlyStopping,
    String mode,
    Integer parallelism,
    Output output) {

  /**
   * @param type {@code random} (default) or {@code grid}
   * @param trials number of random trials (random search only)
   * @param params parameter name (a dotted config key, or a label for a named choice) to its distribution
   */
  public record Search(String type, Integer trials, LinkedHashMap<String, JsonNode> params) {}

  /**
   * @param metric {@code val_accuracy} (default), {@code val_loss} or {@code train_loss}
   * @param goal {@code maximize} or {@code minimize}; default: maximise an accuracy, minimise a loss
   */
  public record ObjectiveSpec(String metric, String goal) {}

  /** @param epochs most epochs a trial trains (default: the base config's {@code epochs}) */
  public record Budget(Integer epochs) {}

  /**
   * @param enabled stop unpromising trials early (default true)
   * @param factor keep the best 1/factor of each rung (default 3)
   * @param minEpochs epochs of the first rung (default 1); rungs grow by {@code factor} up to the budget
   */
  public record EarlyStopping(Boolean enabled, Integer factor, @JsonProperty("min_epochs") Integer minEpochs) {}

  /**
   * @param dir the sweep directory (default {@code runs/sweeps/<name>}); re-running the same sweep into it
   *     resumes an interrupted sweep
   * @param charts write PNG charts (default true)
   */
  public record Output(String dir, Boolean charts) {}
}
