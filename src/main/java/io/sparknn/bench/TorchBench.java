package io.sparknn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 5 of the harness: {@code bench/pytorch_mlp.py}, the same network, loss, initialisation rule and
 * momentum SGD in PyTorch, run once per batch plan and dtype with 2 threads, the same epoch limit, time budget and
 * evaluation interval (in iterations) and early-stop rule as the sparknn runs. It runs under Debian's
 * {@code /usr/bin/python3} with the OpenMP build of OpenBLAS when installed ({@code LD_LIBRARY_PATH}, see shared
 * BENCH.md), without {@code OPENBLAS_NUM_THREADS} (torch's own thread setting rules) and by default with
 * {@code OMP_WAIT_POLICY=PASSIVE}: on a shared, overloaded machine libgomp's spinning threads made the same run
 * 14× slower, which would flatter sparknn. Its last stdout line is JSON.
 */
final class TorchBench {
  /** The PyTorch script, under the checkout the launchers name in {@code SPARKNN_HOME} (else the working directory). */
  static final String SCRIPT = Path.of(System.getenv().getOrDefault("SPARKNN_HOME", ""), "bench", "pytorch_mlp.py")
      .toString();
  static final Path OPENMP_OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");
  static final int THREADS = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The runs, each with the script's whole report, or why there are none. */
  record Result(List<TrainingRun> runs, List<JsonNode> reports, String unavailable) {}

  private TorchBench() {}

  /** Whether {@code python -c "import torch"} works; null if so, else why not. */
  static String unavailable(String python) {
    return unavailable(python, SCRIPT);
  }

  /** Whether {@code script} exists and {@code python -c "import torch"} works; null if so, else why not. */
  static String unavailable(String python, String script) {
    if (!Files.exists(Path.of(script))) {
      return script + " not found (set SPARKNN_HOME to the checkout, as the launchers do)";
    }
    try {
      Process p = environment(new ProcessBuilder(python, "-c", "import torch"), "default").redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? null : python + " cannot import torch: " + lastLine(out);
    } catch (IOException e) {
      return python + " could not be run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static Result run(List<BatchPlan> plans, BenchOptions o) {
    String why = unavailable(o.python());
    if (why != null) {
      System.err.println("bench: PyTorch skipped: " + why);
      return new Result(List.of(), List.of(), why);
    }
    List<TrainingRun> runs = new ArrayList<>();
    List<JsonNode> reports = new ArrayList<>();
    for (String dtype : o.torchDtypes()) {
      for (BatchPlan plan : plans) {
        System.err.printf("bench: PyTorch %s, %s, %d threads%n", dtype, plan.label(), THREADS);
        List<String> cmd = new ArrayList<>(List.of(o.python(), SCRIPT, "--batch", Integer.toString(plan.batch()),
            "--lr", Double.toString(plan.lr()), "--momentum", Double.toString(BatchPlan.MOMENTUM),
            "--warmup-iters", Long.toString(plan.warmupIterations()), "--epochs", Integer.toString(o.maxEpochs()),
            "--dtype", dtype, "--threads", Integer.toString(THREADS), "--seed", Long.toString(o.seed()),
            "--eval-every", Integer.toString(plan.evalEvery(o.evalEverySamples()))));
        cmd.addAll(List.of("--stop-at-targets", Integer.toString(o.minEpochs())));
        if (o.maxSeconds() > 0) {
          cmd.addAll(List.of("--max-seconds", Double.toString(o.maxSeconds())));
        }
        try {
          JsonNode report = JSON.readTree(runScript(cmd, o.torchOmpWait()));
          reports.add(report);
          TrainingRun run = toRun(report, plan, o);
          runs.add(run);
          System.err.printf("bench:   %s samples/s steady, 97%% at %s s, 98%% at %s s%n",
              BenchReport.number(run.steadySamplesPerSec()), BenchReport.number(run.timeTo97()),
              BenchReport.number(run.timeTo98()));
        } catch (IOException | RuntimeException e) {
          System.err.println("bench: PyTorch run failed: " + e.getMessage());
          runs.add(TrainingRun.failed("pytorch", dtype, THREADS, plan, "failed: " + e.getMessage()));
        }
      }
    }
    return new Result(runs, reports, null);
  }

  private static ProcessBuilder environment(ProcessBuilder pb, String ompWait) {
    Map<String, String> env = pb.environment();
    env.remove("OPENBLAS_NUM_THREADS");
    if (!ompWait.equals("default")) {
      env.put("OMP_WAIT_POLICY", ompWait.toUpperCase(java.util.Locale.ROOT));
    }
    if (Files.isDirectory(OPENMP_OPENBLAS)) {
      env.put("LD_LIBRARY_PATH", OPENMP_OPENBLAS.toString());
    }
    return pb;
  }

  /** Runs the script (stderr passed through) and returns its last stdout line. */
  static String runScript(List<String> cmd, String ompWait) throws IOException {
    Process p = environment(new ProcessBuilder(cmd), ompWait).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          last = line;
        }
      }
    }
    try {
      int code = p.waitFor();
      if (code != 0 || last == null) {
        throw new IOException(cmd.get(1) + " exited with " + code);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return last;
  }

  /** The script's report as a {@link TrainingRun}; steady figures recomputed as medians, like sparknn's. */
  static TrainingRun toRun(JsonNode r, BatchPlan plan, BenchOptions o) {
    List<Double> epochs = new ArrayList<>();
    r.path("epoch_seconds").forEach(n -> epochs.add(n.asDouble()));
    Double perEpoch = TrainingRun.steadySeconds(epochs);
    long trainRows = r.path("train_samples").asLong(60000);
    String stopped = r.path("stopped_by_budget").asBoolean() ? "budget"
        : r.path("stopped_at_targets").asBoolean() ? "targets" : "epochs";
    return new TrainingRun("pytorch", r.path("dtype").asText(), r.path("threads").asInt(THREADS), plan.batch(),
        plan.lr(), plan.warmupIterations(), r.path("epochs_completed").asInt(), r.path("iterations").asLong(), epochs,
        null, perEpoch, perEpoch == null ? null : trainRows / perEpoch, epochs.size() == 1,
        seconds(r.path("time_to_97")), seconds(r.path("time_to_98")),
        r.hasNonNull("final_test_accuracy") ? r.get("final_test_accuracy").asDouble() : null,
        r.path("training_seconds").asDouble(), r.path("eval_every").asInt(), stopped, null, null);
  }

  private static Double seconds(JsonNode reached) {
    return reached == null || reached.isNull() || reached.isMissingNode() ? null : reached.path("seconds").asDouble();
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1];
  }
}
