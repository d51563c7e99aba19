package io.sparknn.experiments;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.run.JobArguments;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads an experiment's command line, {@code --config FILE [--set key=value ...]} (the same syntax as
 * {@code TrainJob}), into the experiment's own config record. Keys are snake_case, unknown keys are refused
 * with the allowed ones listed, keys that moved are refused with their new name, and every {@code --set} is
 * applied before binding, so a typo fails before Spark starts.
 */
public final class ExperimentConfigs {
  private ExperimentConfigs() {}

  /** The config of type {@code type} that {@code args} name; {@code usage} is the one-line usage message. */
  public static <T> T load(String[] args, Class<T> type, String usage) {
    return load(args, type, usage, Map.of());
  }

  /** As {@link #load(String[], Class, String)}, refusing the old keys of {@code moved} (old key to new key). */
  public static <T> T load(String[] args, Class<T> type, String usage, Map<String, String> moved) {
    JobArguments a = JobArguments.parse(args);
    if (a.help() || a.config() == null || a.resume() != null || !a.positional().isEmpty()) {
      throw new ConfigException("usage: " + usage);
    }
    Path file = Path.of(a.config());
    MovedKeys.refuse(file, a.overrides(), moved);
    return ConfigLoader.load(file, a.overrides(), type);
  }
}
