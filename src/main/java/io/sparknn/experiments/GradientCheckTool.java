package io.sparknn.experiments;

import io.sparknn.config.ConfigException;
import io.sparknn.config.ConfigLoader;
import io.sparknn.config.DataConfig;
import io.sparknn.config.TrainConfig;
import io.sparknn.config.TrainPlan;
import io.sparknn.data.Dataset;
import io.sparknn.nn.Conv2d;
import io.sparknn.nn.GradientChecker;
import io.sparknn.nn.Linear;
import io.sparknn.nn.MaxPool2d;
import io.sparknn.nn.Module;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.Criterion;
import io.sparknn.report.Table;
import io.sparknn.run.JobArguments;
import io.sparknn.run.JobMain;
import io.sparknn.run.PreparedData;
import io.sparknn.tensor.Matrix;
import io.sparknn.train.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The homework's first advice ("do GradCheck") as a command for any model a training config describes:
 * {@code jobs/gradcheck.sh CONFIG [--samples N] [--max-checks M] [key=value ...]}. It builds the config's
 * model with its seed, takes the first {@code N} (default 4) real training samples of the config's data, runs
 * them forward, and checks each layer at the input it actually receives there by central differences in
 * float64 (dropout masks held fixed), then the whole model, then the criterion ({@link GradientChecker}).
 * Layers check every input element and parameter up to {@code M} (default 300) of each, and a random sample
 * of {@code M} beyond that, so a wide layer is checked in seconds. It prints,
 * and returns, a table of the worst relative error {@code |a − n| / (|a| + |n|)} per layer for the input
 * gradient and for the parameter gradient, with the counts checked and the elements left out because the
 * function has a kink there (near-ties in a max-pooling window; for a model with max pooling the samples get a
 * seeded jitter of ±1e-2 so that blank backgrounds do not make exact ties; see
 * {@link GradientChecker#check(io.sparknn.nn.Module, Matrix, long, int, boolean)}). Layers set to compute in
 * float32 are checked in float64. The check runs on the driver only: it is
 * a property of the model's code, not of the cluster. Exit code 0 when every error is below
 * {@link #TOLERANCE}, 4 otherwise.
 */
public final class GradientCheckTool {
  /** Worst relative error accepted: float64 central differences on correct code stay far below it. */
  public static final double TOLERANCE = 1e-6;
  /** Largest jitter added to the samples of a model with max pooling. */
  static final double JITTER = 1e-2;

  private GradientCheckTool() {}

  public static void main(String[] args) {
    boolean[] ok = {true};
    JobMain.exit("GradientCheckTool", () -> {
      Table t = check(args);
      ok[0] = worst(t) < TOLERANCE;
      return t;
    });
    if (!ok[0]) {
      System.err.println("GradientCheckTool: an error is above " + TOLERANCE);
      System.exit(4);
    }
  }

  /** The largest value of the {@code worst} column. */
  public static double worst(Table t) {
    String csv = t.toCsv();
    double worst = 0;
    String[] lines = csv.split("\r\n");
    int col = List.of(lines[0].split(",")).indexOf("worst");
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split(",");
      worst = Math.max(worst, Double.parseDouble(cells[col]));
    }
    return worst;
  }

  /** Runs the check that {@code args} ask for and returns the per-layer table (also printed). */
  public static Table check(String[] args) {
    JobArguments a = JobArguments.parse(strip(strip(args, "--samples"), "--max-checks"));
    int samples = positiveOption(args, "--samples", 4);
    int maxChecks = positiveOption(args, "--max-checks", 300);
    if (a.help() || (a.config() == null && a.positional().size() != 1)) {
      throw new ConfigException("usage: GradientCheckTool CONFIG [--samples N] [--max-checks M] "
          + "[--set key=value ...]");
    }
    String source = a.config() != null ? a.config() : a.positional().get(0);
    TrainConfig config = ConfigLoader.load(Path.of(source), a.overrides(), TrainConfig.class);
    DataConfig d = config.data();
    PreparedData.requireIdx(d);
    // Only a few rows are needed: no validation split, the first rows of the training file.
    PreparedData data = PreparedData.load(new DataConfig(d.dir(), 0, d.standardize(), 0,
        Math.max(samples, 1), null), config.seed());
    TrainPlan plan = TrainPlan.of(config, data.train().cols(), source);
    Dataset rows = data.train().slice(0, Math.min(samples, data.train().rows()));
    Matrix x = new Matrix(rows.rows(), rows.cols());
    int[] labels = new int[rows.rows()];
    rows.gatherRange(0, rows.rows(), x, labels, 0);

    Sequential model = plan.model().build(config.seed());
    // Finite differences need float64 arithmetic: layers set to compute in float32 are checked in float64.
    for (Module m : model.modules()) {
      if (m instanceof Linear l) {
        l.float32(false);
      } else if (m instanceof Conv2d c) {
        c.float32(false);
      }
    }
    if (model.modules().stream().anyMatch(m -> m instanceof MaxPool2d)) {
      // Blank backgrounds give max-pooling windows of exactly equal values, where the model has no derivative
      // and three or more tied values hide the kink from the finite differences: a seeded jitter far below a
      // pixel's resolution and far above the step separates them.
      SplittableRandom jitter = new SplittableRandom(config.seed());
      for (int i = 0; i < x.size(); i++) {
        x.data()[i] += jitter.nextDouble(-JITTER, JITTER);
      }
      System.out.printf("The samples carry a seeded jitter of ±%.0e (max pooling ties on blank backgrounds).%n",
          JITTER);
    }
    model.training();
    Table t = new Table(List.of("layer", "module", "parameters", "inputs_checked", "parameters_checked",
        "input_error", "parameter_error", "worst", "max_abs_difference", "kinks_skipped"));
    Matrix in = x;
    for (int i = 0; i < model.size(); i++) {
      Module m = model.get(i);
      GradientChecker.Result r = GradientChecker.check(m, in, config.seed() + i, maxChecks, true);
      t = t.add(Integer.toString(i + 1), m.toString().strip(), m.parameterCount(), r.inputsChecked(),
          r.parametersChecked(), r.inputError(), m.parameterCount() == 0 ? null : r.parameterError(), r.worst(),
          r.maxAbsoluteDifference(), r.kinksSkipped());
      m.reseed(0);
      in = m.forward(in).copy();
    }
    GradientChecker.Result whole = GradientChecker.check(model, x, config.seed(), maxChecks, true);
    t = t.add("all", "the whole model", model.parameterCount(), whole.inputsChecked(), whole.parametersChecked(),
        whole.inputError(), whole.parameterError(), whole.worst(), whole.maxAbsoluteDifference(),
        whole.kinksSkipped());
    Criterion criterion = plan.criterion().build();
    Matrix out = model.forward(x).copy();
    Matrix target = plan.target() == Target.INPUT ? x : oneHot(labels, out.cols());
    if (plan.criterion().type().equals("ClassNLL")) {
      // ClassNLL clamps probabilities into [1e-15, 1 − 1e-15]; a step of 1e-5 must stay inside that range.
      out = clampAway(out);
    }
    GradientChecker.Result crit = GradientChecker.check(criterion, out, target);
    t = t.add("loss", criterion.toString(), 0, out.size(), 0, crit.inputError(), null, crit.worst(), null, 0);
    System.out.printf("Gradient check of %s on %d real samples (worst relative error |a-n|/(|a|+|n|), "
        + "differences below %.0e count as exact):%n", source, rows.rows(), GradientChecker.ABSOLUTE_FLOOR);
    System.out.print(t.toMarkdown());
    System.out.printf("worst: %.3e (%s)%n", worst(t), worst(t) < TOLERANCE ? "OK, below " + TOLERANCE
        : "ABOVE " + TOLERANCE);
    return t;
  }

  private static Matrix oneHot(int[] labels, int classes) {
    Matrix m = new Matrix(labels.length, classes);
    for (int r = 0; r < labels.length; r++) {
      m.set(r, labels[r], 1.0);
    }
    return m;
  }

  private static Matrix clampAway(Matrix p) {
    Matrix c = p.copy();
    for (int i = 0; i < c.size(); i++) {
      c.data()[i] = Math.max(1e-4, Math.min(1 - 1e-4, c.data()[i]));
    }
    return c;
  }

  private static int positiveOption(String[] args, String option, int otherwise) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(option)) {
        String v = i + 1 < args.length ? args[i + 1] : "";
        try {
          int n = Integer.parseInt(v);
          if (n >= 1) {
            return n;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new ConfigException(option + " needs a positive integer, got '" + v + "'");
      }
    }
    return otherwise;
  }

  /** {@code args} without {@code option} and its value (JobArguments would refuse the unknown option). */
  private static String[] strip(String[] args, String option) {
    java.util.List<String> kept = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(option)) {
        i++;
      } else {
        kept.add(args[i]);
      }
    }
    return kept.toArray(new String[0]);
  }
}
