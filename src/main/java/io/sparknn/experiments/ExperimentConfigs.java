package io.sparknn.experiments;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.run.JobArguments;
import java.nio.file.Path;

/**
 * Reads an experiment's command line, {@code --config FILE [--set key=value ...]} (the same syntax as
 * {@code TrainJob}), into the experiment's own config record. Keys are snake_case, unknown keys are refused
 * with the allowed ones listed, and every {@code --set} is applied before binding, so a typo fails before
 * Spark starts.
 */
public final class ExperimentConfigs {
  private ExperimentConfigs() {}

  /** The config of type {@code type} that {@code args} name; {@code usage} is the one-line usage message. */
  public static <T> T load(String[] args, Class<T> type, String usage) {
    JobArguments a = JobArguments.parse(args);
    if (a.help() || a.config() == null || a.resume() != null || !a.positional().isEmpty()) {
      throw new ConfigException("usage: " + usage);
    }
    return ConfigLoader.load(Path.of(a.config()), a.overrides(), type);
  }
}
