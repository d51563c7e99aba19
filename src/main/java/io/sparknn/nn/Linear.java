package io.sparknn.nn;

import io.sparknn.tensor.Blas;
import io.sparknn.tensor.Matrix;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fully connected layer {@code y = x·Wᵀ + b}: input {@code batch × nIn}, output {@code batch × nOut}.
 *
 * <p>{@code W} ({@code nOut × nIn}, row-major) and then {@code b} ({@code nOut}) are consecutive in the flat
 * parameter array. Each pass is BLAS: one gemm for the output, one for the input gradient, one for the
 * weight gradient, plus a column sum for the bias. Weights and bias start uniform in
 * {@code [-1/√nIn, 1/√nIn]} (Torch's and the homework's rule), drawn from a seed: an explicit one, or else one
 * taken from a per-JVM counter, so that {@link Sequential#reset(long)} is how a model is made reproducible.
 *
 * <p>With {@link #float32(boolean) float32 compute} the three products run as sgemm on float copies of the input,
 * weights and output gradient (about twice dgemm's rate here), while parameters, gradients and outputs stay
 * float64: a mixed-precision layer for the wide first layer of an MLP. Gradient checks use float64.
 */
public final class Linear extends Module {
  /** The values the {@code compute} option may take. */
  public static final List<String> COMPUTE = List.of("float64", "float32");
  private static final LayerOption<Integer> OUT = LayerOption.integer("out");
  private static final LayerOption<String> COMPUTE_OPTION = LayerOption.text("compute", "float64");

  /**
   * {@code {type: Linear, in: 784, out: 196, compute: float32}}: {@code in} defaults to the previous layer's
   * width, {@code compute} to float64 (float32: sgemm on float copies; parameters and gradients stay float64).
   */
  public static final LayerType TYPE = LayerType.of("Linear", Linear.class,
      List.of(LayerOption.IN, OUT, COMPUTE_OPTION), Linear::fromSpec,
      m -> LayerSpec.linear(m.inputSize(), m.outputSize()).with("compute", m.isFloat32() ? "float32" : null),
      (spec, width) -> {
        long in = spec.in() != null ? spec.in() : width;
        long out = OUT.of(spec) == null ? 0 : OUT.of(spec);
        return new LayerType.Size(in * out + out, 0, out);
      });

  private static Linear fromSpec(LayerSpec spec, int inputWidth) {
    int in = LayerType.inputWidth("Linear", spec, inputWidth);
    Integer out = OUT.of(spec);
    if (out == null || out <= 0) {
      throw new IllegalArgumentException("Linear needs 'out' > 0, got " + out);
    }
    String compute = COMPUTE_OPTION.of(spec);
    if (!COMPUTE.contains(compute)) {
      throw new IllegalArgumentException("Linear 'compute' must be one of " + COMPUTE + ", got '" + compute + "'");
    }
    return new Linear(in, out).float32(compute.equals("float32"));
  }

  private static final AtomicLong DEFAULT_SEEDS = new AtomicLong(0x5EED);

  private final int nIn;
  private final int nOut;
  private Matrix weight;
  private Matrix gradWeight;
  private boolean float32;
  // float32 compute buffers, reused: input, weights, output or input gradient, output gradient, weight gradient
  private float[] x32 = new float[0];
  // What x32 holds (forward's input), so that backward given the same matrix does not convert it again
  private double[] x32Source;
  private int x32Offset = -1;
  private int x32Rows = -1;
  private float[] w32 = new float[0];
  private float[] y32 = new float[0];
  private float[] g32 = new float[0];
  private float[] gw32 = new float[0];

  /** A layer initialised from the next default seed. */
  public Linear(int nIn, int nOut) {
    this(nIn, nOut, DEFAULT_SEEDS.getAndIncrement());
  }

  /** A layer initialised from {@code seed}. */
  public Linear(int nIn, int nOut, long seed) {
    if (nIn <= 0 || nOut <= 0) {
      throw new IllegalArgumentException("Linear sizes must be positive, got " + nIn + " -> " + nOut);
    }
    if ((long) nIn * nOut + nOut > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Linear " + nIn + " -> " + nOut + " has too many weights for one array");
    }
    this.nIn = nIn;
    this.nOut = nOut;
    allocateOwnStorage();
    reset(seed);
  }

  public int inputSize() {
    return nIn;
  }

  public int outputSize() {
    return nOut;
  }

  /** The {@code nOut × nIn} weight matrix (a view into the flat parameters). */
  public Matrix weight() {
    return weight;
  }

  /** Computes the layer's matrix products in float32 ({@code true}) or float64 (the default). */
  public Linear float32(boolean on) {
    this.float32 = on;
    return this;
  }

  public boolean isFloat32() {
    return float32;
  }

  /** Index of the bias in {@link #parameters()}. */
  public int biasOffset() {
    return parameterOffset() + nOut * nIn;
  }

  @Override
  protected void onBind() {
    weight = new Matrix(parameters(), parameterOffset(), nOut, nIn);
    gradWeight = new Matrix(gradParameters(), parameterOffset(), nOut, nIn);
  }

  @Override
  public int parameterCount() {
    return nOut * nIn + nOut;
  }

  @Override
  public void reset(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double stdv = 1.0 / Math.sqrt(nIn);
    double[] w = parameters();
    int end = parameterOffset() + parameterCount();
    for (int i = parameterOffset(); i < end; i++) {
      w[i] = rng.nextDouble(-stdv, stdv);
    }
  }

  @Override
  public int outputSize(int inputSize) {
    if (inputSize != -1 && inputSize != nIn) {
      throw new IllegalArgumentException(this + " takes " + nIn + " inputs but would get " + inputSize);
    }
    return nOut;
  }

  @Override
  public Matrix updateOutput(Matrix input) {
    requireInputWidth(input, nIn);
    Matrix out = Matrix.reuse(output, input.rows(), nOut);
    // Broadcast the bias into every row, then out += x·Wᵀ in one gemm.
    double[] o = out.data();
    double[] w = parameters();
    int b = biasOffset();
    for (int r = 0; r < out.rows(); r++) {
      System.arraycopy(w, b, o, out.offset() + r * nOut, nOut);
    }
    if (!float32) {
      Blas.gemm(false, true, 1.0, input, weight, 1.0, out);
      return out;
    }
    int rows = input.rows();
    convertInput(input);
    // The weights are converted once per forward; backward reuses them (they change only between steps).
    w32 = toFloat(weight, w32);
    y32 = atLeast(y32, rows * nOut);
    Blas.sgemm("T", "N", nOut, rows, nIn, 1f, w32, nIn, x32, nIn, 0f, y32, nOut);
    widen(y32, out, true);
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireInputWidth(input, nIn);
    if (gradOutput.rows() != input.rows() || gradOutput.cols() != nOut) {
      throw new IllegalArgumentException(this + " expects gradOutput of shape " + input.rows() + "x" + nOut
          + " but got " + gradOutput.shape());
    }
    Matrix gin = Matrix.reuse(gradInput, input.rows(), nIn);
    if (!float32) {
      Blas.gemm(false, false, 1.0, gradOutput, weight, 0.0, gin);
      return gin;
    }
    int rows = input.rows();
    g32 = toFloat(gradOutput, g32);
    if (w32.length < nOut * nIn) {
      w32 = toFloat(weight, w32);  // backward without a forward first
    }
    y32 = atLeast(y32, rows * nIn);
    Blas.sgemm("N", "N", nIn, rows, nOut, 1f, w32, nIn, g32, nOut, 0f, y32, nIn);
    widen(y32, gin, false);
    return gin;
  }

  @Override
  public void accGradParameters(Matrix input, Matrix gradOutput) {
    if (!float32) {
      Blas.gemm(true, false, 1.0, gradOutput, input, 1.0, gradWeight);
    } else {
      if (!x32Holds(input)) {
        convertInput(input);
      }
      g32 = toFloat(gradOutput, g32);
      gw32 = atLeast(gw32, nOut * nIn);
      Blas.sgemm("N", "T", nIn, nOut, input.rows(), 1f, x32, nIn, g32, nOut, 0f, gw32, nIn);
      widen(gw32, gradWeight, true);
    }
    double[] g = gradOutput.data();
    double[] gb = gradParameters();
    int b = biasOffset();
    for (int r = 0; r < gradOutput.rows(); r++) {
      int row = gradOutput.offset() + r * nOut;
      for (int c = 0; c < nOut; c++) {
        gb[b + c] += g[row + c];
      }
    }
  }

  /**
   * Converts {@code input} into {@link #x32} and remembers which matrix it was. Backward given that same matrix
   * reuses the copy: like every module here, it must be given forward's input unchanged (Torch's contract); any
   * other matrix is converted again.
   */
  private void convertInput(Matrix input) {
    x32 = toFloat(input, x32);
    x32Source = input.data();
    x32Offset = input.offset();
    x32Rows = input.rows();
  }

  private boolean x32Holds(Matrix input) {
    return input.data() == x32Source && input.offset() == x32Offset && input.rows() == x32Rows;
  }

  /** {@code m}'s values as floats in {@code buf} (grown when too small), row after row. */
  private static float[] toFloat(Matrix m, float[] buf) {
    int n = m.rows() * m.cols();
    float[] f = atLeast(buf, n);
    double[] d = m.data();
    int off = m.offset();
    for (int i = 0; i < n; i++) {
      f[i] = (float) d[off + i];
    }
    return f;
  }

  /** Writes (or with {@code add}, adds) the first {@code dst.size()} values of {@code src} into {@code dst}. */
  private static void widen(float[] src, Matrix dst, boolean add) {
    double[] d = dst.data();
    int off = dst.offset();
    int n = dst.size();
    if (add) {
      for (int i = 0; i < n; i++) {
        d[off + i] += src[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        d[off + i] = src[i];
      }
    }
  }

  private static float[] atLeast(float[] buf, int n) {
    return buf.length >= n ? buf : new float[n];
  }

  @Override
  public String toString() {
    return "Linear " + nIn + " -> " + nOut + (float32 ? " (float32 compute)" : "");
  }
}
