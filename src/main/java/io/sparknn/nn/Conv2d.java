package io.sparknn.nn;

import io.sparknn.tensor.Blas;
import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A 2-D convolution (Torch's {@code SpatialConvolution}, PyTorch's {@code Conv2d}): input rows are images of
 * {@code inChannels × height × width}, output rows images of {@code outChannels × outHeight × outWidth}, both
 * channel after channel, row-major, with {@code out = (in + 2·padding − kernel) / stride + 1} on each side.
 *
 * <p>The weights are {@code [outChannels][inChannels][kernelH][kernelW]} followed by the {@code outChannels}
 * biases, consecutive in the flat parameter array (PyTorch's layout, so models are portable). Every product is
 * one gemm per image: forward unrolls the image's receptive fields into columns ({@code im2col}: a {@code K × L}
 * matrix, {@code K = inChannels·kernelH·kernelW}, {@code L = outHeight·outWidth}) and multiplies the
 * {@code outChannels × K} weights by it straight into the image's output row; the weight gradient adds the
 * image's output gradient times its columns (unrolled again) transposed; the input gradient is the transposed
 * weights times the output gradient, folded back onto the image ({@code col2im}). One image's columns stay in
 * cache, and no batch-wide unrolled matrix or layout change goes through memory. Weights and biases start
 * uniform in {@code [-1/√K, 1/√K]} (Torch's rule). With {@link #float32(boolean) float32 compute} the three
 * products run as sgemm on float copies while parameters, gradients and outputs stay float64, as in
 * {@link Linear}. Its buffers hold one image, so they do not grow with the batch.
 */
public final class Conv2d extends Module {
  private static final LayerOption<Integer> IN_CHANNELS = LayerOption.integer("in_channels");
  private static final LayerOption<Integer> OUT_CHANNELS = LayerOption.integer("out_channels");
  private static final LayerOption<Integer> KERNEL = LayerOption.integer("kernel_size");
  private static final LayerOption<Integer> KERNEL_H = LayerOption.integer("kernel_h");
  private static final LayerOption<Integer> KERNEL_W = LayerOption.integer("kernel_w");
  private static final LayerOption<Integer> STRIDE = new LayerOption<>("stride", Integer.class, 1);
  private static final LayerOption<Integer> PADDING = new LayerOption<>("padding", Integer.class, 0);
  private static final LayerOption<String> COMPUTE = LayerOption.text("compute", "float64");

  /**
   * {@code {type: Conv2d, out_channels: 16, kernel_size: 5, stride: 1, padding: 2, compute: float64}}:
   * {@code in_channels} defaults to the input's channels; {@code kernel_h}/{@code kernel_w} set a rectangular
   * kernel instead of {@code kernel_size}; stride 1 and padding 0 by default.
   */
  public static final LayerType TYPE = LayerType.shaped("Conv2d", Conv2d.class,
      List.of(IN_CHANNELS, OUT_CHANNELS, KERNEL, KERNEL_H, KERNEL_W, STRIDE, PADDING, COMPUTE),
      (spec, in) -> geometry(spec, in).build(spec), Conv2d::describe,
      (spec, in) -> geometry(spec, in).parameters(), (spec, in) -> geometry(spec, in).outputShape());

  /** The sizes of one convolution, checked: input {@code c × h × w}, kernel, stride, padding. */
  private record Geometry(int inC, int outC, int kh, int kw, int stride, int pad, int inH, int inW) {
    int outH() {
      return (inH + 2 * pad - kh) / stride + 1;
    }

    int outW() {
      return (inW + 2 * pad - kw) / stride + 1;
    }

    long parameters() {
      return (long) outC * inC * kh * kw + outC;
    }

    Shape outputShape() {
      return Shape.image(outC, outH(), outW());
    }

    Conv2d build(LayerSpec spec) {
      String compute = COMPUTE.of(spec);
      if (!Linear.COMPUTE.contains(compute)) {
        throw new IllegalArgumentException("Conv2d 'compute' must be one of " + Linear.COMPUTE + ", got '"
            + compute + "'");
      }
      return new Conv2d(this).float32(compute.equals("float32"));
    }
  }

  private static Geometry geometry(LayerSpec spec, Shape in) {
    if (!in.isImage()) {
      throw new IllegalArgumentException("Conv2d takes rows of shape [channels, height, width] but gets " + in
          + "; give the model's input shape (the config's input_shape, e.g. [1, 28, 28])");
    }
    Integer declared = IN_CHANNELS.of(spec);
    if (declared != null && declared != in.dim(0)) {
      throw new IllegalArgumentException("Conv2d declares in_channels: " + declared + " but gets input of shape "
          + in + " (" + in.dim(0) + " channels)");
    }
    Integer out = OUT_CHANNELS.of(spec);
    Integer k = KERNEL.of(spec);
    Integer kh = KERNEL_H.of(spec) != null ? KERNEL_H.of(spec) : k;
    Integer kw = KERNEL_W.of(spec) != null ? KERNEL_W.of(spec) : k;
    if (out == null || out <= 0) {
      throw new IllegalArgumentException("Conv2d needs 'out_channels' > 0, got " + out);
    }
    if (kh == null || kw == null || kh <= 0 || kw <= 0) {
      throw new IllegalArgumentException("Conv2d needs 'kernel_size' > 0 (or 'kernel_h' and 'kernel_w'), got "
          + (kh == null || kw == null ? "none" : kh + "x" + kw));
    }
    int stride = STRIDE.of(spec);
    int pad = PADDING.of(spec);
    if (stride <= 0 || pad < 0) {
      throw new IllegalArgumentException("Conv2d needs 'stride' > 0 and 'padding' >= 0, got stride " + stride
          + ", padding " + pad);
    }
    Geometry g = new Geometry(in.dim(0), out, kh, kw, stride, pad, in.dim(1), in.dim(2));
    check(g, in);
    return g;
  }

  private static void check(Geometry g, Shape in) {
    if (g.inH + 2L * g.pad < g.kh || g.inW + 2L * g.pad < g.kw) {
      throw new IllegalArgumentException("Conv2d's " + g.kh + "x" + g.kw + " kernel (padding " + g.pad
          + ") does not fit its input of shape " + in + ": the padded image is " + (g.inH + 2 * g.pad) + "x"
          + (g.inW + 2 * g.pad));
    }
    if (g.parameters() > Integer.MAX_VALUE - 8 || (long) g.outC * g.outH() * g.outW() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Conv2d " + g.inC + " -> " + g.outC + " on " + in + " is too large");
    }
  }

  private static LayerSpec describe(Conv2d m) {
    Geometry g = m.g;
    LayerSpec s = LayerSpec.of("Conv2d").with("in_channels", g.inC).with("out_channels", g.outC);
    s = g.kh == g.kw ? s.with("kernel_size", g.kh) : s.with("kernel_h", g.kh).with("kernel_w", g.kw);
    return s.with("stride", g.stride).with("padding", g.pad).with("compute", m.float32 ? "float32" : null);
  }

  private final Geometry g;
  private final int outH;
  private final int outW;
  /** Rows of the unrolled input: one per weight of an output channel. */
  private final int k;
  /** Output positions per channel. */
  private final int l;
  private final int inFeatures;
  private final int outFeatures;
  /** Per kernel column j, the output columns {@code [insideFrom[j], insideTo[j])} that read inside the image. */
  private final int[] insideFrom;
  private final int[] insideTo;
  private Matrix weight;
  private Matrix gradWeight;
  private boolean float32;

  // One image's unrolled input (k × l) and unrolled input gradient (k × l), small enough to stay in cache; in
  // float32, also one input image, one image's output or output gradient (outC × l), the weights and the weight
  // gradient.
  private double[] cols = new double[0];
  private double[] dcols = new double[0];
  private float[] cols32 = new float[0];
  private float[] dcols32 = new float[0];
  private float[] image32 = new float[0];
  private float[] input32 = new float[0];
  private float[] w32 = new float[0];
  private float[] gw32 = new float[0];

  /**
   * A convolution of {@code inChannels × height × width} images with a {@code kernelH × kernelW} kernel,
   * initialised from {@code seed}.
   */
  public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, int stride, int padding, int height,
      int width, long seed) {
    this(valid(new Geometry(inChannels, outChannels, kernelH, kernelW, stride, padding, height, width)));
    reset(seed);
  }

  private Conv2d(Geometry g) {
    this.g = g;
    this.outH = g.outH();
    this.outW = g.outW();
    this.k = g.inC * g.kh * g.kw;
    this.l = outH * outW;
    this.inFeatures = g.inC * g.inH * g.inW;
    this.outFeatures = g.outC * l;
    this.insideFrom = new int[g.kw];
    this.insideTo = new int[g.kw];
    for (int j = 0; j < g.kw; j++) {
      insideFrom[j] = firstInside(j);
      insideTo[j] = Math.max(insideFrom[j], endInside(j));
    }
    allocateOwnStorage();
    reset(0);
  }

  private static Geometry valid(Geometry g) {
    if (g.inC <= 0 || g.outC <= 0 || g.kh <= 0 || g.kw <= 0 || g.stride <= 0 || g.pad < 0 || g.inH <= 0
        || g.inW <= 0) {
      throw new IllegalArgumentException("Conv2d needs positive channels, kernel, stride and image sizes and "
          + "padding >= 0, got " + g);
    }
    check(g, Shape.image(g.inC, g.inH, g.inW));
    return g;
  }

  /** Computes the layer's matrix products in float32 ({@code true}) or float64 (the default). */
  public Conv2d float32(boolean on) {
    this.float32 = on;
    return this;
  }

  public boolean isFloat32() {
    return float32;
  }

  /** The shape of an input row. */
  public Shape inputShape() {
    return Shape.image(g.inC, g.inH, g.inW);
  }

  /** The shape of an output row. */
  public Shape outputShape() {
    return Shape.image(g.outC, outH, outW);
  }

  /** The {@code outChannels × (inChannels·kernelH·kernelW)} weights (a view into the flat parameters). */
  public Matrix weight() {
    return weight;
  }

  /** Index of the biases in {@link #parameters()}. */
  public int biasOffset() {
    return parameterOffset() + g.outC * k;
  }

  @Override
  protected void onBind() {
    weight = new Matrix(parameters(), parameterOffset(), g.outC, k);
    gradWeight = new Matrix(gradParameters(), parameterOffset(), g.outC, k);
  }

  @Override
  public int parameterCount() {
    return g.outC * k + g.outC;
  }

  @Override
  public void reset(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double stdv = 1.0 / Math.sqrt(k);
    double[] w = parameters();
    int end = parameterOffset() + parameterCount();
    for (int i = parameterOffset(); i < end; i++) {
      w[i] = rng.nextDouble(-stdv, stdv);
    }
  }

  @Override
  public int outputSize(int inputSize) {
    if (inputSize != -1 && inputSize != inFeatures) {
      throw new IllegalArgumentException(this + " takes rows of " + inFeatures + " values (" + inputShape()
          + ") but would get " + inputSize);
    }
    return outFeatures;
  }

  // Every product is per image: its unrolled columns stay in cache between im2col and the gemm, and an image's
  // k × l result is exactly its output row (outC × l, channel after channel), so nothing is rearranged. In
  // column-major terms a row-major r × c block is its c × r transpose, hence the transposes below.

  @Override
  public Matrix updateOutput(Matrix input) {
    requireInputWidth(input, inFeatures);
    int batch = input.rows();
    Matrix out = Matrix.reuse(output, batch, outFeatures);
    double[] x = input.data();
    double[] o = out.data();
    double[] w = parameters();
    int bias = biasOffset();
    if (float32) {
      w32 = toFloat(weight, w32);
      input32 = atLeast(input32, inFeatures);
      cols32 = atLeast(cols32, k * l);
      image32 = atLeast(image32, outFeatures);
    } else {
      cols = atLeast(cols, k * l);
    }
    for (int b = 0; b < batch; b++) {
      int row = out.offset() + b * outFeatures;
      // Output image b (l × outC column-major) = its columns (l × k) · Wᵀ (k × outC).
      if (float32) {
        im2col32(x, input.offset(), b, cols32);
        Blas.sgemm("N", "N", l, g.outC, k, 1f, cols32, 0, l, w32, 0, k, 0f, image32, 0, l);
        for (int c = 0; c < g.outC; c++) {
          double bc = w[bias + c];
          for (int i = 0, at = c * l; i < l; i++, at++) {
            o[row + at] = image32[at] + bc;
          }
        }
      } else {
        im2col(x, input.offset(), b, cols);
        Blas.gemm("N", "N", l, g.outC, k, 1.0, cols, 0, l, weight.data(), weight.offset(), k, 0.0, o, row, l);
        for (int c = 0; c < g.outC; c++) {
          double bc = w[bias + c];
          for (int i = 0, at = row + c * l; i < l; i++, at++) {
            o[at] += bc;
          }
        }
      }
    }
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireInputWidth(input, inFeatures);
    requireGrad(input, gradOutput);
    int batch = input.rows();
    Matrix gin = Matrix.reuse(gradInput, batch, inFeatures);
    gin.fill(0.0);
    double[] go = gradOutput.data();
    if (float32) {
      if (w32.length < g.outC * k) {
        w32 = toFloat(weight, w32);  // backward without a forward first
      }
      dcols32 = atLeast(dcols32, k * l);
      image32 = atLeast(image32, outFeatures);
    } else {
      dcols = atLeast(dcols, k * l);
    }
    for (int b = 0; b < batch; b++) {
      int row = gradOutput.offset() + b * outFeatures;
      // Image b's unrolled gradient (l × k column-major) = its output gradient (l × outC) · W (outC × k).
      if (float32) {
        toFloat(go, row, image32);
        Blas.sgemm("N", "T", l, k, g.outC, 1f, image32, 0, l, w32, 0, k, 0f, dcols32, 0, l);
        col2im32(dcols32, b, gin.data(), gin.offset());
      } else {
        Blas.gemm("N", "T", l, k, g.outC, 1.0, go, row, l, weight.data(), weight.offset(), k, 0.0, dcols, 0, l);
        col2im(dcols, b, gin.data(), gin.offset());
      }
    }
    return gin;
  }

  @Override
  public void accGradParameters(Matrix input, Matrix gradOutput) {
    requireInputWidth(input, inFeatures);
    requireGrad(input, gradOutput);
    int batch = input.rows();
    double[] x = input.data();
    double[] go = gradOutput.data();
    double[] gp = gradParameters();
    int off = parameterOffset();
    if (float32) {
      cols32 = atLeast(cols32, k * l);
      input32 = atLeast(input32, inFeatures);
      image32 = atLeast(image32, outFeatures);
      gw32 = atLeast(gw32, g.outC * k);
    } else {
      cols = atLeast(cols, k * l);
    }
    for (int b = 0; b < batch; b++) {
      int row = gradOutput.offset() + b * outFeatures;
      // dWᵀ (k × outC) += image b's columns (k × l) · its output gradient (l × outC); in float32 summed over the
      // batch in floats first, as one batch-wide sgemm would.
      if (float32) {
        im2col32(x, input.offset(), b, cols32);
        toFloat(go, row, image32);
        Blas.sgemm("T", "N", k, g.outC, l, 1f, cols32, 0, l, image32, 0, l, b == 0 ? 0f : 1f, gw32, 0, k);
      } else {
        im2col(x, input.offset(), b, cols);
        Blas.gemm("T", "N", k, g.outC, l, 1.0, cols, 0, l, go, row, l, 1.0, gp, off, k);
      }
    }
    if (float32 && batch > 0) {
      for (int i = 0; i < g.outC * k; i++) {
        gp[off + i] += gw32[i];
      }
    }
    int bias = biasOffset();
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < g.outC; c++) {
        int src = gradOutput.offset() + b * outFeatures + c * l;
        double s = 0;
        for (int i = 0; i < l; i++) {
          s += go[src + i];
        }
        gp[bias + c] += s;
      }
    }
  }

  private void requireGrad(Matrix input, Matrix gradOutput) {
    if (gradOutput.rows() != input.rows() || gradOutput.cols() != outFeatures) {
      throw new IllegalArgumentException(this + " expects gradOutput of shape " + input.rows() + "x" + outFeatures
          + " but got " + gradOutput.shape());
    }
  }

  /** One output row of {@code d} from {@code from} into floats. */
  private void toFloat(double[] d, int from, float[] f) {
    for (int i = 0; i < outFeatures; i++) {
      f[i] = (float) d[from + i];
    }
  }

  /** First output column whose input column {@code ox·stride − pad + j} is inside the image, for kernel column j. */
  private int firstInside(int j) {
    return clamp(-Math.floorDiv(-(g.pad - j), g.stride), outW);
  }

  /** One past the last output column whose input column is inside the image, for kernel column j. */
  private int endInside(int j) {
    return clamp(-Math.floorDiv(-(g.inW + g.pad - j), g.stride), outW);
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  /**
   * Unrolls image b into {@code out} ({@code k × l}): row {@code (c, i, j)}, column {@code (oy, ox)} holds pixel
   * {@code (c, oy·stride − pad + i, ox·stride − pad + j)}, or 0 in the padding.
   */
  private void im2col(double[] x, int xOff, int b, double[] out) {
    int plane = g.inH * g.inW;
    for (int c = 0; c < g.inC; c++) {
      int image = xOff + b * inFeatures + c * plane - g.pad;
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * l;
          int lo = insideFrom[j];
          int hi = insideTo[j];
          for (int oy = 0; oy < outH; oy++) {
            int dst = row + oy * outW;
            int iy = oy * g.stride - g.pad + i;
            if (iy < 0 || iy >= g.inH) {
              Arrays.fill(out, dst, dst + outW, 0.0);
              continue;
            }
            int src = image + iy * g.inW + j;
            if (lo > 0) {
              Arrays.fill(out, dst, dst + lo, 0.0);
            }
            if (g.stride == 1) {
              System.arraycopy(x, src + lo, out, dst + lo, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++) {
                out[dst + ox] = x[src + ox * g.stride];
              }
            }
            if (hi < outW) {
              Arrays.fill(out, dst + hi, dst + outW, 0.0);
            }
          }
        }
      }
    }
  }

  /** {@link #im2col} into floats. */
  private void im2col32(double[] x, int xOff, int b, float[] out) {
    // The image in floats first, so that the unrolling is plain copies.
    int from = xOff + b * inFeatures;
    for (int i = 0; i < inFeatures; i++) {
      input32[i] = (float) x[from + i];
    }
    float[] in = input32;
    int plane = g.inH * g.inW;
    int s = g.stride;
    for (int c = 0; c < g.inC; c++) {
      int image = c * plane - g.pad;
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * l;
          int lo = insideFrom[j];
          int hi = insideTo[j];
          for (int oy = 0; oy < outH; oy++) {
            int dst = row + oy * outW;
            int iy = oy * s - g.pad + i;
            if (iy < 0 || iy >= g.inH) {
              Arrays.fill(out, dst, dst + outW, 0f);
              continue;
            }
            int src = image + iy * g.inW + j;
            if (lo > 0) {
              Arrays.fill(out, dst, dst + lo, 0f);
            }
            if (s == 1) {
              System.arraycopy(in, src + lo, out, dst + lo, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++) {
                out[dst + ox] = in[src + ox * s];
              }
            }
            if (hi < outW) {
              Arrays.fill(out, dst + hi, dst + outW, 0f);
            }
          }
        }
      }
    }
  }

  /**
   * Adds image b's unrolled gradient {@code d} ({@code k × l}) back onto the image it came from; each pixel gets
   * its terms in kernel order.
   */
  private void col2im(double[] d, int b, double[] gin, int gOff) {
    int plane = g.inH * g.inW;
    int s = g.stride;
    for (int c = 0; c < g.inC; c++) {
      int image = gOff + b * inFeatures + c * plane - g.pad;
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * l;
          int lo = insideFrom[j];
          int hi = insideTo[j];
          for (int oy = 0; oy < outH; oy++) {
            int iy = oy * s - g.pad + i;
            if (iy < 0 || iy >= g.inH) {
              continue;
            }
            int src = row + oy * outW;
            int dst = image + iy * g.inW + j;
            if (s == 1) {
              for (int ox = lo; ox < hi; ox++) {
                gin[dst + ox] += d[src + ox];
              }
            } else {
              for (int ox = lo; ox < hi; ox++) {
                gin[dst + ox * s] += d[src + ox];
              }
            }
          }
        }
      }
    }
  }

  /** {@link #col2im} from floats. */
  private void col2im32(float[] d, int b, double[] gin, int gOff) {
    int plane = g.inH * g.inW;
    int s = g.stride;
    for (int c = 0; c < g.inC; c++) {
      int image = gOff + b * inFeatures + c * plane - g.pad;
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * l;
          int lo = insideFrom[j];
          int hi = insideTo[j];
          for (int oy = 0; oy < outH; oy++) {
            int iy = oy * s - g.pad + i;
            if (iy < 0 || iy >= g.inH) {
              continue;
            }
            int src = row + oy * outW;
            int dst = image + iy * g.inW + j;
            if (s == 1) {
              for (int ox = lo; ox < hi; ox++) {
                gin[dst + ox] += d[src + ox];
              }
            } else {
              for (int ox = lo; ox < hi; ox++) {
                gin[dst + ox * s] += d[src + ox];
              }
            }
          }
        }
      }
    }
  }

  private static float[] toFloat(Matrix m, float[] buf) {
    int n = m.size();
    float[] f = atLeast(buf, n);
    double[] d = m.data();
    int off = m.offset();
    for (int i = 0; i < n; i++) {
      f[i] = (float) d[off + i];
    }
    return f;
  }

  private static double[] atLeast(double[] buf, int n) {
    return buf.length >= n ? buf : new double[n];
  }

  private static float[] atLeast(float[] buf, int n) {
    return buf.length >= n ? buf : new float[n];
  }

  @Override
  public String toString() {
    String kernel = g.kh == g.kw ? "kernel " + g.kh : "kernel " + g.kh + "x" + g.kw;
    return "Conv2d " + g.inC + " -> " + g.outC + ", " + kernel + (g.stride != 1 ? ", stride " + g.stride : "")
        + (g.pad != 0 ? ", padding " + g.pad : "") + (float32 ? " (float32 compute)" : "");
  }
}
