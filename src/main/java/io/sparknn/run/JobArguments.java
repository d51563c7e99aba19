package io.sparknn.run;

import io.sparknn.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line shared by the jobs: {@code --config FILE}, repeated {@code --set key=value}, and
 * {@code --resume RUN_DIR}; anything else left as positional arguments for the job to interpret.
 */
public record JobArguments(String config, List<String> overrides, String resume, List<String> positional,
    boolean help) {

  public static JobArguments parse(String[] args) {
    String config = null;
    String resume = null;
    boolean help = false;
    List<String> sets = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--config" -> config = value(args, ++i, a);
        case "--set" -> sets.add(value(args, ++i, a));
        case "--resume" -> resume = value(args, ++i, a);
        case "-h", "--help" -> help = true;
        default -> {
          if (a.startsWith("--config=")) {
            config = a.substring("--config=".length());
          } else if (a.startsWith("--set=")) {
            sets.add(a.substring("--set=".length()));
          } else if (a.startsWith("--resume=")) {
            resume = a.substring("--resume=".length());
          } else if (a.startsWith("--")) {
            throw new ConfigException("unknown option '" + a + "'; expected --config FILE, --set key=value, "
                + "--resume RUN_DIR or --help");
          } else {
            positional.add(a);
          }
        }
      }
    }
    return new JobArguments(config, List.copyOf(sets), resume, List.copyOf(positional), help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new ConfigException(option + " needs a value");
    }
    return args[i];
  }
}
