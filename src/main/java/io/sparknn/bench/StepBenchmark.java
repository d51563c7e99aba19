package io.sparknn.bench;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.Linear;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Module;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.ClassNLLCriterion;
import io.sparknn.nn.criterion.Criterion;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.tensor.Blas;
import io.sparknn.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One training step of the homework's MLP ({@code 784→196→98→10}, LeakyReLU, SoftMax, ClassNLL, SGD momentum) in
 * one JVM, against the physical limit: the same eight gemms (three per Linear, less the first layer's input
 * gradient, which neither computes) called directly. Prints samples/s,
 * GFLOP/s and the ratio model/gemm per batch size, with the BLAS implementation. Each figure is the median of
 * several timed rounds after a warm-up. Run: {@code jobs/bench-step.sh [batch ...]}.
 */
public final class StepBenchmark {
  /** The homework's network: 784→196→98→10, LeakyReLU, SoftMax (ClassNLL on top). */
  static final ModelSpec SEED_MLP = new ModelSpec(784, List.of(LayerSpec.linear(784, 196),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(196, 98), LayerSpec.of("LeakyReLU"), LayerSpec.linear(98, 10),
      LayerSpec.of("SoftMax")));

  private StepBenchmark() {}

  /** Result of one batch size. */
  public record Figures(int batch, double stepMs, double samplesPerSec, double modelGflops, double gemmMs,
      double gemmGflops, double ratio) {}

  /**
   * {@code [--float32-first] [BATCH ...]}: the step with the first Linear in float32 compute, if asked;
   * {@code --cnn [BATCH ...]}: the CNN's step instead ({@link ConvStepBenchmark}).
   */
  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.remove("--cnn")) {
      ConvStepBenchmark.main(rest);
      return;
    }
    boolean float32First = rest.remove("--float32-first");
    int[] batches = rest.isEmpty() ? new int[] {128, 1024} : new int[rest.size()];
    for (int i = 0; i < rest.size(); i++) {
      batches[i] = Integer.parseInt(rest.get(i));
    }
    System.out.println("BLAS " + Blas.implementation() + ", OPENBLAS_NUM_THREADS="
        + System.getenv("OPENBLAS_NUM_THREADS") + ", " + (float32First ? "first Linear float32 compute, other layers float64"
        : "float64") + " (bare gemms: float64), Java " + System.getProperty("java.version"));
    System.out.println("| batch | step ms | samples/s | model GFLOP/s | gemm ms | gemm GFLOP/s | model/gemm |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int b : batches) {
      Figures f = measure(b, float32First);
      System.out.printf("| %d | %.3f | %,.0f | %.1f | %.3f | %.1f | %.2f |%n", f.batch(), f.stepMs(),
          f.samplesPerSec(), f.modelGflops(), f.gemmMs(), f.gemmGflops(), f.ratio());
    }
  }

  /** Times a training step and the bare gemms at batch {@code b}. */
  public static Figures measure(int b) {
    return measure(b, false);
  }

  /** As {@link #measure(int)}, optionally with the first Linear computing in float32. */
  public static Figures measure(int b, boolean float32First) {
    Sequential net = SEED_MLP.build(1);
    if (float32First) {
      ((Linear) net.modules().get(0)).float32(true);
    }
    return measure(b, net, false);
  }

  /**
   * One step of the model {@code spec} builds (the homework's MLP, with the run's {@code compute} on its Linear
   * layers) at batch {@code b}: what a Spark task of that run computes. When its Linear layers compute in float32
   * the bare gemms are sgemm on float copies at the same shapes, so both figures are in the run's dtype.
   */
  public static Figures measure(int b, ModelSpec spec) {
    Sequential net = spec.build(1);
    boolean f32 = net.modules().stream().anyMatch(m -> m instanceof Linear l && l.isFloat32());
    return measure(b, net, f32);
  }

  /** {@code b} random 784-pixel rows, the same for every caller (seeded). */
  static Matrix randomImages(int b) {
    SplittableRandom rng = new SplittableRandom(3);
    Matrix x = new Matrix(b, 784);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = rng.nextDouble();
    }
    return x;
  }

  /**
   * One SGD-momentum training step of {@code net} on {@code x} with seeded random labels among 10 classes, as
   * the trainers run it.
   */
  static Runnable trainingStep(Sequential net, Criterion criterion, Matrix x) {
    SplittableRandom rng = new SplittableRandom(4);
    int[] labels = new int[x.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rng.nextInt(10);
    }
    SgdMomentum sgd = new SgdMomentum(0.9);
    return () -> {
      net.zeroGradParameters();
      Matrix out = net.forward(x);
      criterion.forward(out, labels);
      net.backward(x, criterion.backward(out, labels));
      sgd.step(net.parameters(), net.gradParameters(), 1e-4);
    };
  }

  private static Figures measure(int b, Sequential model, boolean sgemm) {
    // As the trainers run it: no gradient w.r.t. the input images.
    Sequential net = model.inputGradient(false);
    Matrix x = randomImages(b);
    Runnable step = trainingStep(net, new ClassNLLCriterion(), x);
    List<Matrix[]> gemms = new ArrayList<>();
    long flopsPerStep = 0;
    Matrix in = x;
    for (Module m : net.modules()) {
      if (m instanceof Linear l) {
        Matrix out = new Matrix(b, l.outputSize());
        Matrix gIn = new Matrix(b, l.inputSize());
        Matrix gW = new Matrix(l.outputSize(), l.inputSize());
        // The first layer's input gradient is not computed, by the model or here.
        gemms.add(new Matrix[] {in, l.weight(), out, gemms.isEmpty() ? null : gIn, gW});
        flopsPerStep += (gemms.size() == 1 ? 4L : 6L) * b * l.inputSize() * l.outputSize();
        in = out;
      }
    }
    Runnable bare = sgemm ? sgemms(gemms) : () -> {
      for (Matrix[] g : gemms) {
        Blas.gemm(false, true, 1.0, g[0], g[1], 0.0, g[2]);
        if (g[3] != null) {
          Blas.gemm(false, false, 1.0, g[2], g[1], 0.0, g[3]);
        }
        Blas.gemm(true, false, 1.0, g[2], g[0], 1.0, g[4]);
      }
    };
    double flops = flopsPerStep;
    double stepMs = medianMs(step);
    double gemmMs = medianMs(bare);
    return new Figures(b, stepMs, b / (stepMs / 1e3), flops / stepMs / 1e6, gemmMs, flops / gemmMs / 1e6,
        gemmMs / stepMs);
  }

  /** The same products as sgemm on float arrays, laid out as {@code Linear}'s float32 path passes them. */
  private static Runnable sgemms(List<Matrix[]> gemms) {
    List<float[][]> f = new ArrayList<>();
    for (Matrix[] g : gemms) {
      f.add(new float[][] {new float[g[0].size()], new float[g[1].size()], new float[g[2].size()],
          g[3] == null ? null : new float[g[3].size()], new float[g[4].size()]});
    }
    return () -> {
      for (int i = 0; i < gemms.size(); i++) {
        Matrix[] g = gemms.get(i);
        float[][] a = f.get(i);
        int rows = g[0].rows();
        int nIn = g[1].cols();
        int nOut = g[1].rows();
        Blas.sgemm("T", "N", nOut, rows, nIn, 1f, a[1], nIn, a[0], nIn, 0f, a[2], nOut);
        if (a[3] != null) {
          Blas.sgemm("N", "N", nIn, rows, nOut, 1f, a[1], nIn, a[2], nOut, 0f, a[3], nIn);
        }
        Blas.sgemm("N", "T", nIn, nOut, rows, 1f, a[0], nIn, a[2], nOut, 0f, a[4], nIn);
      }
    };
  }

  /** Median over 7 rounds of the mean time per call, each round about 0.3 s, after a 1 s warm-up. */
  static double medianMs(Runnable r) {
    long warm = System.nanoTime() + 1_000_000_000L;
    int calls = 0;
    while (System.nanoTime() < warm) {
      r.run();
      calls++;
    }
    int perRound = Math.max(1, (int) (calls * 0.3));
    double[] rounds = new double[7];
    for (int k = 0; k < rounds.length; k++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        r.run();
      }
      rounds[k] = (System.nanoTime() - t0) / 1e6 / perRound;
    }
    java.util.Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }
}
