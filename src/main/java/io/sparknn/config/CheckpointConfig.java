package io.sparknn.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When to write checkpoints.
 *
 * @param everyIterations also checkpoint every this many iterations (0: only at epoch ends)
 * @param keep how many of the newest checkpoints to keep
 * @param enabled write checkpoints at all
 */
public record CheckpointConfig(@JsonProperty("every_iterations") Integer everyIterations, Integer keep,
    Boolean enabled) {
  public static final CheckpointConfig DEFAULT = new CheckpointConfig(null, null, null);

  public CheckpointConfig {
    everyIterations = everyIterations == null ? 0 : everyIterations;
    keep = keep == null ? 2 : keep;
    enabled = enabled == null || enabled;
  }
}
