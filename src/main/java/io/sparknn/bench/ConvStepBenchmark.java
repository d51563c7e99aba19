package io.sparknn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparknn.nn.Conv2d;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.Linear;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Module;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.Shape;
import io.sparknn.nn.criterion.LogClassNLLCriterion;
import io.sparknn.tensor.Blas;
import io.sparknn.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training step of {@code conf/mnist-cnn.yaml}'s LeNet-style CNN in one JVM, in float64 and with float32
 * convolutions, against the physical limit at its shapes (the same gemms called directly: per convolution the
 * forward product, the weight gradient and, after the first, the unrolled input gradient, image by image as
 * Conv2d calls them; three per Linear, less the first layer's input gradient, which trainers do not compute) and
 * against PyTorch's step of the same network in the same dtype and thread count
 * ({@code bench/pytorch_cnn_step.py}). Run:
 * {@code jobs/bench-step.sh --cnn [BATCH ...]} (default 64, what each of two Spark tasks computes of a batch of
 * 128). Each figure is the median of several timed rounds after a warm-up.
 */
final class ConvStepBenchmark {
  /** {@code conf/mnist-cnn.yaml}'s network, its convolutions computing in {@code compute}. */
  static ModelSpec lenet(String compute) {
    return new ModelSpec(Shape.image(1, 28, 28), List.of(
        LayerSpec.of("Conv2d").with("out_channels", 16).with("kernel_size", 5).with("padding", 2)
            .with("compute", compute),
        LayerSpec.of("ReLU"), LayerSpec.of("MaxPool2d").with("kernel_size", 2),
        LayerSpec.of("Conv2d").with("out_channels", 32).with("kernel_size", 5).with("compute", compute),
        LayerSpec.of("ReLU"), LayerSpec.of("MaxPool2d").with("kernel_size", 2), LayerSpec.of("Flatten"),
        LayerSpec.linear(800, 128), LayerSpec.of("ReLU"), LayerSpec.of("Dropout").with("p", 0.5),
        LayerSpec.linear(128, 10), LayerSpec.of("LogSoftMax")));
  }

  /** One row: the step, its gemms and PyTorch's step (null when PyTorch is not available). */
  record Figures(int batch, String dtype, double stepMs, double gemmMs, double gflops, Double torchMs) {}

  private ConvStepBenchmark() {}

  static void main(List<String> args) {
    int[] batches = args.isEmpty() ? new int[] {64} : args.stream().mapToInt(Integer::parseInt).toArray();
    String python = System.getenv().getOrDefault("SPARKNN_PYTHON", "/usr/bin/python3");
    String torch = TorchBench.unavailable(python, script());
    int threads = Integer.parseInt(System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "1"));
    System.out.println("BLAS " + Blas.implementation() + ", OPENBLAS_NUM_THREADS="
        + System.getenv("OPENBLAS_NUM_THREADS") + ", Java " + System.getProperty("java.version") + "; PyTorch "
        + (torch == null ? "with " + threads + " thread(s)" : "skipped: " + torch) + "; load average "
        + MachineLoad.loadavg());
    System.out.println("| batch | dtype | step ms | samples/s | step GFLOP/s | gemm ms | step/gemm rate | PyTorch ms "
        + "| sparknn ÷ PyTorch speed |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (int b : batches) {
      for (String dtype : List.of("float64", "float32")) {
        Double torchMs = torch == null ? torchStep(python, b, dtype, threads) : null;
        Figures f = measure(b, dtype, torchMs);
        System.out.printf("| %d | %s | %.2f | %,.0f | %.1f | %.2f | %.0f%% | %s | %s |%n", b, dtype, f.stepMs(),
            b / (f.stepMs() / 1e3), f.gflops(), f.gemmMs(), 100 * f.gemmMs() / f.stepMs(),
            f.torchMs() == null ? "—" : String.format("%.2f", f.torchMs()),
            f.torchMs() == null ? "—" : String.format("%.2f×", f.torchMs() / f.stepMs()));
      }
    }
  }

  /** Times a step of the CNN and its bare gemms at batch {@code b}, the convolutions in {@code dtype}. */
  static Figures measure(int b, String dtype, Double torchMs) {
    Sequential net = lenet(dtype).build(1).inputGradient(false);
    Matrix x = StepBenchmark.randomImages(b);
    Runnable step = StepBenchmark.trainingStep(net, new LogClassNLLCriterion(), x);
    List<Runnable> gemms = new ArrayList<>();
    long flops = 0;
    boolean first = true;
    for (Module m : net.modules()) {
      if (m instanceof Conv2d c) {
        int outC = c.outputShape().dim(0);
        int k = c.weight().cols();
        int n = b * c.outputShape().dim(1) * c.outputShape().dim(2);
        gemms.add(dtype.equals("float32") ? convSgemms(outC, k, n, b, first)
            : convDgemms(c.weight(), k, n, b, first));
        flops += (first ? 4L : 6L) * outC * k * n;
      } else if (m instanceof Linear l) {
        Matrix in = new Matrix(b, l.inputSize());
        Matrix out = new Matrix(b, l.outputSize());
        Matrix gIn = new Matrix(b, l.inputSize());
        Matrix gW = new Matrix(l.outputSize(), l.inputSize());
        gemms.add(() -> {
          Blas.gemm(false, true, 1.0, in, l.weight(), 0.0, out);
          Blas.gemm(false, false, 1.0, out, l.weight(), 0.0, gIn);
          Blas.gemm(true, false, 1.0, out, in, 1.0, gW);
        });
        flops += 6L * b * l.inputSize() * l.outputSize();
      }
      first = false;
    }
    Runnable bare = () -> gemms.forEach(Runnable::run);
    double stepMs = StepBenchmark.medianMs(step);
    double gemmMs = StepBenchmark.medianMs(bare);
    return new Figures(b, dtype, stepMs, gemmMs, flops / stepMs / 1e6, torchMs);
  }

  /**
   * A convolution's products in float64 as Conv2d calls them, image by image: W·cols_b into the output row,
   * cols_b·gradient_bᵀ added to the weight gradient, and (after the first) Wᵀ·gradient_b into one image's
   * unrolled gradient.
   */
  private static Runnable convDgemms(Matrix w, int k, int n, int batch, boolean first) {
    int outC = w.rows();
    int l = n / batch;
    double[] cols = new double[k * l];
    double[] y = new double[outC * n];
    double[] dcols = new double[k * l];
    double[] gw = new double[outC * k];
    return () -> {
      for (int b = 0; b < batch; b++) {
        Blas.gemm("N", "N", l, outC, k, 1.0, cols, 0, l, w.data(), w.offset(), k, 0.0, y, b * outC * l, l);
      }
      for (int b = 0; b < batch; b++) {
        Blas.gemm("T", "N", k, outC, l, 1.0, cols, 0, l, y, b * outC * l, l, 1.0, gw, 0, k);
      }
      for (int b = 0; !first && b < batch; b++) {
        Blas.gemm("N", "T", l, k, outC, 1.0, y, b * outC * l, l, w.data(), w.offset(), k, 0.0, dcols, 0, l);
      }
    };
  }

  /** The same products as sgemm. */
  private static Runnable convSgemms(int outC, int k, int n, int batch, boolean first) {
    int l = n / batch;
    float[] cols = new float[k * l];
    float[] w = new float[outC * k];
    float[] y = new float[outC * l];
    float[] dcols = new float[k * l];
    float[] gw = new float[outC * k];
    return () -> {
      for (int b = 0; b < batch; b++) {
        Blas.sgemm("N", "N", l, outC, k, 1f, cols, 0, l, w, 0, k, 0f, y, 0, l);
      }
      for (int b = 0; b < batch; b++) {
        Blas.sgemm("T", "N", k, outC, l, 1f, cols, 0, l, y, 0, l, 1f, gw, 0, k);
      }
      for (int b = 0; !first && b < batch; b++) {
        Blas.sgemm("N", "T", l, k, outC, 1f, y, 0, l, w, 0, k, 0f, dcols, 0, l);
      }
    };
  }

  private static String script() {
    return Path.of(System.getenv().getOrDefault("SPARKNN_HOME", ""), "bench", "pytorch_cnn_step.py").toString();
  }

  /** PyTorch's step time in ms, or null (with the reason on stderr) when the script fails. */
  private static Double torchStep(String python, int batch, String dtype, int threads) {
    List<String> cmd = List.of(python, script(), "--batch", Integer.toString(batch), "--dtype", dtype,
        "--threads", Integer.toString(threads));
    try {
      JsonNode r = new ObjectMapper().readTree(TorchBench.runScript(cmd, "passive"));
      return r.path("step_ms").asDouble();
    } catch (IOException e) {
      System.err.println("bench: PyTorch step failed: " + e.getMessage());
      return null;
    }
  }
}
