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
 * biases, consecutive in the flat parameter array (PyTorch's layout, so models are portable). Forward unrolls
 * every receptive field into a column ({@code im2col}: a {@code K × batch·L} matrix,
 * {@code K = inChannels·kernelH·kernelW}, {@code L = outHeight·outWidth}) and multiplies the
 * {@code outChannels × K} weights by it in one gemm; the weight gradient is one gemm of the output gradient by
 * those columns transposed (kept from forward); the input gradient is, image by image, the transposed weights
 * times the image's output gradient, folded back onto the image ({@code col2im}) while still in cache. Weights and biases start uniform in {@code [-1/√K, 1/√K]}
 * (Torch's rule). With {@link #float32(boolean) float32 compute} the three products run as sgemm on float
 * copies while parameters, gradients and outputs stay float64, as in {@link Linear}. Buffers are kept and
 * reused while the batch size does not grow.
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

  // float64 buffers: the unrolled input (k × batch·l), the output or output gradient by channel
  // (outC × batch·l), one image's unrolled input gradient (k × l); their views for the current batch size.
  private double[] cols = new double[0];
  private double[] byChannel = new double[0];
  private double[] dcols = new double[0];
  private int viewBatch = -1;
  private Matrix colsView;
  private Matrix byChannelView;
  // float32 buffers, the same roles, plus the weights and the weight gradient.
  private float[] cols32 = new float[0];
  private float[] byChannel32 = new float[0];
  private float[] dcols32 = new float[0];
  private float[] w32 = new float[0];
  private float[] gw32 = new float[0];
  // Which input the unrolled columns hold (forward's), and whether byChannel holds this backward's gradient.
  private double[] colsSource;
  private int colsOffset = -1;
  private int colsRows = -1;
  private boolean gradByChannel;

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

  @Override
  public Matrix updateOutput(Matrix input) {
    requireInputWidth(input, inFeatures);
    int batch = input.rows();
    int n = batch * l;
    Matrix out = Matrix.reuse(output, batch, outFeatures);
    gradByChannel = false;
    if (!float32) {
      views(batch);
      im2col(input.data(), input.offset(), batch, cols);
      Blas.gemm(false, false, 1.0, weight, colsView, 0.0, byChannelView);
    } else {
      cols32 = atLeast(cols32, k * n);
      byChannel32 = atLeast(byChannel32, g.outC * n);
      im2col32(input.data(), input.offset(), batch, cols32);
      w32 = toFloat(weight, w32);
      // Column-major: (out by channel)ᵀ, n × outC = colsᵀ (n × k) · Wᵀ (k × outC).
      Blas.sgemm("N", "N", n, g.outC, k, 1f, cols32, n, w32, k, 0f, byChannel32, n);
    }
    colsSource = input.data();
    colsOffset = input.offset();
    colsRows = batch;
    // From channel-major over the batch (outC × batch·l) to one image per row, adding the bias.
    double[] o = out.data();
    double[] w = parameters();
    int bias = biasOffset();
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < g.outC; c++) {
        double bc = w[bias + c];
        int dst = out.offset() + b * outFeatures + c * l;
        int src = c * n + b * l;
        if (float32) {
          for (int i = 0; i < l; i++) {
            o[dst + i] = byChannel32[src + i] + bc;
          }
        } else {
          for (int i = 0; i < l; i++) {
            o[dst + i] = byChannel[src + i] + bc;
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
    int n = batch * l;
    gradByChannel(gradOutput);
    Matrix gin = Matrix.reuse(gradInput, batch, inFeatures);
    gin.fill(0.0);
    if (!float32) {
      // Image by image into a buffer that stays in cache for the fold back, rather than k × batch·l through
      // memory. Column-major: dcols_bᵀ (l × k) = (image b's gradient by channel)ᵀ (l × outC) · W (outC × k).
      dcols = atLeast(dcols, k * l);
      for (int b = 0; b < batch; b++) {
        Blas.gemm("N", "T", l, k, g.outC, 1.0, byChannel, b * l, n, weight.data(), weight.offset(), k, 0.0,
            dcols, 0, l);
        col2im(dcols, b, gin.data(), gin.offset());
      }
    } else {
      if (w32.length < g.outC * k) {
        w32 = toFloat(weight, w32);  // backward without a forward first
      }
      dcols32 = atLeast(dcols32, k * l);
      for (int b = 0; b < batch; b++) {
        Blas.sgemm("N", "T", l, k, g.outC, 1f, byChannel32, b * l, n, w32, 0, k, 0f, dcols32, 0, l);
        col2im32(dcols32, b, gin.data(), gin.offset());
      }
    }
    return gin;
  }

  @Override
  public void accGradParameters(Matrix input, Matrix gradOutput) {
    requireGrad(input, gradOutput);
    int batch = input.rows();
    int n = batch * l;
    if (!gradByChannel) {
      gradByChannel(gradOutput);
    }
    gradByChannel = false;
    boolean fresh = input.data() == colsSource && input.offset() == colsOffset && batch == colsRows;
    if (!float32) {
      views(batch);
      if (!fresh) {
        im2col(input.data(), input.offset(), batch, cols);
      }
      Blas.gemm(false, true, 1.0, byChannelView, colsView, 1.0, gradWeight);
    } else {
      if (!fresh) {
        cols32 = atLeast(cols32, k * n);
        im2col32(input.data(), input.offset(), batch, cols32);
      }
      gw32 = atLeast(gw32, g.outC * k);
      // Column-major: dWᵀ (k × outC) = cols (k × n) · gradient by channel (n × outC).
      Blas.sgemm("T", "N", k, g.outC, n, 1f, cols32, n, byChannel32, n, 0f, gw32, k);
      double[] gw = gradParameters();
      int off = parameterOffset();
      for (int i = 0; i < g.outC * k; i++) {
        gw[off + i] += gw32[i];
      }
    }
    double[] gp = gradParameters();
    int bias = biasOffset();
    double[] go = gradOutput.data();
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

  /** The output gradient from one image per row to channel-major over the batch (outC × batch·l). */
  private void gradByChannel(Matrix gradOutput) {
    int batch = gradOutput.rows();
    int n = batch * l;
    double[] go = gradOutput.data();
    if (!float32) {
      views(batch);
    } else {
      byChannel32 = atLeast(byChannel32, g.outC * n);
    }
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < g.outC; c++) {
        int src = gradOutput.offset() + b * outFeatures + c * l;
        int dst = c * n + b * l;
        if (float32) {
          for (int i = 0; i < l; i++) {
            byChannel32[dst + i] = (float) go[src + i];
          }
        } else {
          System.arraycopy(go, src, byChannel, dst, l);
        }
      }
    }
    gradByChannel = true;
  }

  /** Grows the float64 buffers for {@code batch} rows and makes their views, when the batch size changes. */
  private void views(int batch) {
    if (batch == viewBatch) {
      return;
    }
    int n = batch * l;
    if (cols.length < k * n) {
      cols = new double[k * n];
    }
    if (byChannel.length < g.outC * n) {
      byChannel = new double[g.outC * n];
    }
    colsView = new Matrix(cols, 0, k, n);
    byChannelView = new Matrix(byChannel, 0, g.outC, n);
    viewBatch = batch;
    colsSource = null;
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
   * Unrolls {@code batch} images into {@code cols} ({@code k × batch·l}): row {@code (c, i, j)}, column
   * {@code (b, oy, ox)} holds pixel {@code (c, oy·stride − pad + i, ox·stride − pad + j)} of image b, or 0 in
   * the padding. Image by image, so that the one image read stays in cache while its k rows are written.
   */
  private void im2col(double[] x, int xOff, int batch, double[] out) {
    int n = batch * l;
    int plane = g.inH * g.inW;
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < g.inC; c++) {
        int image = xOff + b * inFeatures + c * plane - g.pad;
        for (int i = 0; i < g.kh; i++) {
          for (int j = 0; j < g.kw; j++) {
            int row = ((c * g.kh + i) * g.kw + j) * n + b * l;
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
  }

  /** {@link #im2col} into floats. */
  private void im2col32(double[] x, int xOff, int batch, float[] out) {
    int n = batch * l;
    int plane = g.inH * g.inW;
    int s = g.stride;
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < g.inC; c++) {
        int image = xOff + b * inFeatures + c * plane - g.pad;
        for (int i = 0; i < g.kh; i++) {
          for (int j = 0; j < g.kw; j++) {
            int row = ((c * g.kh + i) * g.kw + j) * n + b * l;
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
                for (int ox = lo; ox < hi; ox++) {
                  out[dst + ox] = (float) x[src + ox];
                }
              } else {
                for (int ox = lo; ox < hi; ox++) {
                  out[dst + ox] = (float) x[src + ox * s];
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
