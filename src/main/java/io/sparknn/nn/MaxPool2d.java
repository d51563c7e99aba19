package io.sparknn.nn;

import io.sparknn.tensor.Matrix;
import java.util.List;

/**
 * 2-D max pooling (Torch's {@code SpatialMaxPooling}, PyTorch's {@code MaxPool2d}): each channel of an input
 * image {@code channels × height × width} is cut into {@code kernel × kernel} windows {@code stride} apart
 * (the stride defaults to the kernel), and each output pixel is its window's largest value; a window that would
 * cross the edge is dropped ({@code out = (in − kernel) / stride + 1}, PyTorch's floor mode). Forward remembers
 * where each maximum was (the first, on ties), and backward routes each output gradient to that one input,
 * adding where windows overlap. No parameters.
 */
public final class MaxPool2d extends Module {
  private static final LayerOption<Integer> KERNEL = LayerOption.integer("kernel_size");
  private static final LayerOption<Integer> STRIDE = LayerOption.integer("stride");

  /** {@code {type: MaxPool2d, kernel_size: 2, stride: 2}}: the stride defaults to the kernel size. */
  public static final LayerType TYPE = LayerType.shaped("MaxPool2d", MaxPool2d.class, List.of(KERNEL, STRIDE),
      (spec, in) -> {
        int[] ks = options(spec);
        requireFits(in, ks[0], ks[1]);
        return new MaxPool2d(ks[0], ks[1], in.dim(0), in.dim(1), in.dim(2));
      },
      m -> LayerSpec.of("MaxPool2d").with("kernel_size", m.kernel).with("stride", m.stride),
      (spec, in) -> 0L,
      (spec, in) -> {
        int[] ks = options(spec);
        requireFits(in, ks[0], ks[1]);
        return Shape.image(in.dim(0), (in.dim(1) - ks[0]) / ks[1] + 1, (in.dim(2) - ks[0]) / ks[1] + 1);
      });

  private static int[] options(LayerSpec spec) {
    Integer k = KERNEL.of(spec);
    if (k == null || k <= 0) {
      throw new IllegalArgumentException("MaxPool2d needs 'kernel_size' > 0, got " + k);
    }
    Integer s = STRIDE.of(spec) == null ? k : STRIDE.of(spec);
    if (s <= 0) {
      throw new IllegalArgumentException("MaxPool2d needs 'stride' > 0, got " + s);
    }
    return new int[] {k, s};
  }

  private static void requireFits(Shape in, int kernel, int stride) {
    if (!in.isImage()) {
      throw new IllegalArgumentException("MaxPool2d takes rows of shape [channels, height, width] but gets " + in
          + "; give the model's input shape (the config's input_shape, e.g. [1, 28, 28])");
    }
    if (in.dim(1) < kernel || in.dim(2) < kernel) {
      throw new IllegalArgumentException("MaxPool2d's " + kernel + "x" + kernel + " window does not fit its "
          + "input of shape " + in);
    }
  }

  private final int kernel;
  private final int stride;
  private final int channels;
  private final int inH;
  private final int inW;
  private final int outH;
  private final int outW;
  private final int inFeatures;
  private final int outFeatures;
  /** For each output value of the last forward, the column of its input row that held the maximum. */
  private int[] argmax = new int[0];

  /** Pools {@code channels × height × width} images with {@code kernel × kernel} windows {@code stride} apart. */
  public MaxPool2d(int kernel, int stride, int channels, int height, int width) {
    if (kernel <= 0 || stride <= 0 || channels <= 0 || height < kernel || width < kernel) {
      throw new IllegalArgumentException("MaxPool2d needs kernel and stride > 0 and an image of at least the "
          + "kernel, got kernel " + kernel + ", stride " + stride + " on " + channels + "x" + height + "x" + width);
    }
    this.kernel = kernel;
    this.stride = stride;
    this.channels = channels;
    this.inH = height;
    this.inW = width;
    this.outH = (height - kernel) / stride + 1;
    this.outW = (width - kernel) / stride + 1;
    this.inFeatures = channels * height * width;
    this.outFeatures = channels * outH * outW;
  }

  /** The shape of an output row. */
  public Shape outputShape() {
    return Shape.image(channels, outH, outW);
  }

  @Override
  public int outputSize(int inputSize) {
    if (inputSize != -1 && inputSize != inFeatures) {
      throw new IllegalArgumentException(this + " takes rows of " + inFeatures + " values ("
          + Shape.image(channels, inH, inW) + ") but would get " + inputSize);
    }
    return outFeatures;
  }

  @Override
  public Matrix updateOutput(Matrix input) {
    requireInputWidth(input, inFeatures);
    int batch = input.rows();
    Matrix out = Matrix.reuse(output, batch, outFeatures);
    if (argmax.length < batch * outFeatures) {
      argmax = new int[batch * outFeatures];
    }
    if (kernel == 2 && stride == 2) {
      pool2x2(input.data(), input.offset(), out.data(), out.offset(), batch);
      return out;
    }
    double[] x = input.data();
    double[] y = out.data();
    for (int b = 0; b < batch; b++) {
      int row = input.offset() + b * inFeatures;
      int o = b * outFeatures;
      for (int c = 0; c < channels; c++) {
        int plane = c * inH * inW;
        for (int oy = 0; oy < outH; oy++) {
          for (int ox = 0; ox < outW; ox++, o++) {
            int first = plane + oy * stride * inW + ox * stride;
            int best = first;
            double max = x[row + first];
            for (int i = 0; i < kernel; i++) {
              int at = first + i * inW;
              for (int j = 0; j < kernel; j++) {
                // Strictly greater: the first maximum wins a tie, so the route is deterministic.
                if (x[row + at + j] > max) {
                  max = x[row + at + j];
                  best = at + j;
                }
              }
            }
            y[out.offset() + o] = max;
            argmax[o] = best;
          }
        }
      }
    }
    return out;
  }

  /**
   * The common 2×2, stride 2 case without branches on the values, which after a ReLU are close to coin tosses:
   * a knockout of the top pair, the bottom pair, then the two winners, picking indices (conditional moves). A
   * later value wins only when strictly greater, so the first maximum still wins a tie; a NaN at the bottom
   * left is passed over like every NaN after the first value, as the general loop does.
   */
  private void pool2x2(double[] x, int xOff, double[] y, int yOff, int batch) {
    int o = 0;
    for (int b = 0; b < batch; b++) {
      int row = xOff + b * inFeatures;
      for (int c = 0; c < channels; c++) {
        int plane = c * inH * inW;
        for (int oy = 0; oy < outH; oy++) {
          int top = plane + 2 * oy * inW;
          for (int ox = 0; ox < outW; ox++, o++) {
            int i0 = top + 2 * ox;
            int i2 = i0 + inW;
            double v0 = x[row + i0];
            double v2 = x[row + i2];
            int upper = x[row + i0 + 1] > v0 ? i0 + 1 : i0;
            int lower = x[row + i2 + 1] > v2 | v2 != v2 ? i2 + 1 : i2;
            int best = x[row + lower] > x[row + upper] ? lower : upper;
            y[yOff + o] = x[row + best];
            argmax[o] = best;
          }
        }
      }
    }
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireInputWidth(input, inFeatures);
    int batch = input.rows();
    if (gradOutput.rows() != batch || gradOutput.cols() != outFeatures) {
      throw new IllegalArgumentException(this + " expects gradOutput of shape " + batch + "x" + outFeatures
          + " but got " + gradOutput.shape());
    }
    if (output == null || output.rows() != batch) {
      throw new IllegalStateException(this + ": backward without a forward on a batch of this size");
    }
    Matrix gin = Matrix.reuse(gradInput, batch, inFeatures);
    gin.fill(0.0);
    double[] g = gradOutput.data();
    double[] gi = gin.data();
    for (int b = 0; b < batch; b++) {
      int dst = gin.offset() + b * inFeatures;
      int src = gradOutput.offset() + b * outFeatures;
      int o = b * outFeatures;
      for (int i = 0; i < outFeatures; i++) {
        gi[dst + argmax[o + i]] += g[src + i];
      }
    }
    return gin;
  }

  @Override
  public String toString() {
    return "MaxPool2d " + kernel + "x" + kernel + (stride != kernel ? ", stride " + stride : "");
  }
}
