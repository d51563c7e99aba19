package io.sparknn.config;

/**
 * Where a run writes.
 *
 * @param dir parent directory of run directories ({@code runs/<timestamp>-<name>/})
 * @param run an exact run directory instead of a new timestamped one
 * @param charts write PNG charts
 */
public record OutputConfig(String dir, String run, Boolean charts) {
  public static final OutputConfig DEFAULT = new OutputConfig(null, null, null);

  public OutputConfig {
    dir = dir == null ? "runs" : dir;
    charts = charts == null || charts;
  }
}
