package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.Matrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conv2d against the definition of a convolution written as plain loops over PyTorch's layout (weights
 * {@code [out][in][kh][kw]} then the biases; images channel after channel, row-major), its float32 compute
 * against float64, its buffers kept across calls, MaxPool2d against the definition of a maximum (ties and NaNs
 * included), and ReLU's branch-free selection on the edge values.
 */
class Conv2dTest {
  private static Matrix random(int rows, int cols, long seed) {
    Matrix m = new Matrix(rows, cols);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < m.size(); i++) {
      m.data()[i] = r.nextDouble(-1, 1);
    }
    return m;
  }

  /** out[b][o][y][x] = bias[o] + Σ w[o][c][i][j] · in[b][c][y·s − p + i][x·s − p + j], zero outside. */
  private static double[] direct(double[] w, int wOff, double[] in, int batch, int inC, int h, int wd, int outC,
      int kh, int kw, int s, int p) {
    int oh = (h + 2 * p - kh) / s + 1;
    int ow = (wd + 2 * p - kw) / s + 1;
    double[] out = new double[batch * outC * oh * ow];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < outC; o++) {
        for (int y = 0; y < oh; y++) {
          for (int x = 0; x < ow; x++) {
            double sum = w[wOff + outC * inC * kh * kw + o];
            for (int c = 0; c < inC; c++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int iy = y * s - p + i;
                  int ix = x * s - p + j;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                    sum += w[wOff + ((o * inC + c) * kh + i) * kw + j] * in[((b * inC + c) * h + iy) * wd + ix];
                  }
                }
              }
            }
            out[((b * outC + o) * oh + y) * ow + x] = sum;
          }
        }
      }
    }
    return out;
  }

  @Test
  void forwardIsTheConvolutionInPyTorchsLayout() {
    int[][] cases = {{2, 3, 3, 3, 1, 1, 6, 5}, {3, 2, 2, 4, 2, 2, 7, 9}, {1, 4, 5, 5, 1, 2, 28, 28},
        {2, 2, 3, 1, 3, 0, 8, 4}};
    for (int[] c : cases) {
      Conv2d conv = new Conv2d(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], 5);
      Matrix x = random(3, c[0] * c[6] * c[7], 9);
      double[] expected = direct(conv.parameters(), conv.parameterOffset(), x.data(), 3, c[0], c[6], c[7], c[1],
          c[2], c[3], c[4], c[5]);
      double[] actual = conv.forward(x).toArray();
      assertEquals(expected.length, actual.length, conv.toString());
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-12, conv + " output " + i);
      }
    }
  }

  @Test
  void float32ComputeAgreesWithFloat64ToSinglePrecision() {
    Conv2d d = new Conv2d(3, 8, 3, 5, 2, 1, 11, 13, 4);
    Conv2d f = new Conv2d(3, 8, 3, 5, 2, 1, 11, 13, 4).float32(true);
    Matrix x = random(5, 3 * 11 * 13, 1);
    Matrix g = random(5, d.outputSize(-1), 2);
    double eOut = relativeError(d.forward(x).toArray(), f.forward(x).toArray());
    double eIn = relativeError(d.backward(x, g).toArray(), f.backward(x, g).toArray());
    double eW = relativeError(d.gradParameters(), f.gradParameters());
    assertTrue(eOut < 1e-5 && eIn < 1e-5 && eW < 1e-5, "errors " + eOut + " " + eIn + " " + eW);
    assertTrue(eOut > 0 || eW > 0, "identical results would mean the float32 path did not run");
  }

  private static double relativeError(double[] a, double[] b) {
    double scale = 1e-12;
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst / scale;
  }

  @Test
  void buffersAreKeptWhileTheBatchSizeStaysAndGradientsAccumulate() {
    for (boolean f32 : new boolean[] {false, true}) {
      Conv2d conv = new Conv2d(2, 3, 3, 3, 1, 1, 5, 5, 2).float32(f32);
      Matrix x = random(4, 50, 3);
      Matrix g = random(4, 75, 4);
      Matrix out = conv.forward(x);
      Matrix gin = conv.backward(x, g);
      double[] once = conv.gradParameters().clone();
      assertSame(out, conv.forward(x), "output buffer reused");
      assertSame(gin, conv.backward(x, g), "input gradient buffer reused");
      for (int i = 0; i < once.length; i++) {
        assertEquals(2 * once[i], conv.gradParameters()[i], 1e-9 * Math.max(1, Math.abs(once[i])));
      }
    }
  }

  @Test
  void backwardGivenAnotherInputThanForwardUnrollsIt() {
    Conv2d a = new Conv2d(1, 2, 3, 3, 1, 0, 4, 4, 6);
    Conv2d b = new Conv2d(1, 2, 3, 3, 1, 0, 4, 4, 6);
    Matrix x1 = random(2, 16, 1);
    Matrix x2 = random(2, 16, 2);
    Matrix g = random(2, 8, 3);
    a.forward(x1);
    a.backward(x2, g);
    b.forward(x2);
    b.backward(x2, g);
    for (int i = 0; i < a.parameterCount(); i++) {
      assertEquals(b.gradParameters()[i], a.gradParameters()[i], 1e-12);
    }
  }

  @Test
  void maxPoolingTakesEachWindowsLargestValue() {
    MaxPool2d pool = new MaxPool2d(3, 2, 2, 7, 6);
    Matrix x = random(2, 2 * 7 * 6, 5);
    double[] y = pool.forward(x).toArray();
    int i = 0;
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < 2; c++) {
        for (int oy = 0; oy < 3; oy++) {
          for (int ox = 0; ox < 2; ox++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int dy = 0; dy < 3; dy++) {
              for (int dx = 0; dx < 3; dx++) {
                max = Math.max(max, x.get(b, (c * 7 + oy * 2 + dy) * 6 + ox * 2 + dx));
              }
            }
            assertEquals(max, y[i++]);
          }
        }
      }
    }
    assertEquals(i, y.length);
  }

  @Test
  void twoByTwoPoolingRoutesTiesAndNaNsToTheFirstMaximumOfTheScan() {
    int c = 3;
    int h = 6;
    int w = 7;
    MaxPool2d pool = new MaxPool2d(2, 2, c, h, w);
    // Few distinct values, so most windows tie; now and then a NaN, anywhere in a window.
    double[] values = {-1, 0, 0, 0.5, 1, 1, Double.NaN};
    Matrix x = new Matrix(4, c * h * w);
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = values[r.nextInt(values.length)];
    }
    double[] y = pool.forward(x).toArray();
    Matrix g = new Matrix(4, c * 3 * 3);
    for (int i = 0; i < g.size(); i++) {
      g.data()[i] = i + 1;
    }
    Matrix gin = pool.backward(x, g);
    double[] expectedGin = new double[x.size()];
    int o = 0;
    for (int b = 0; b < 4; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oy = 0; oy < 3; oy++) {
          for (int ox = 0; ox < 3; ox++, o++) {
            // The definition: scan the window row by row, a value replaces the maximum only when greater.
            int best = (ch * h + 2 * oy) * w + 2 * ox;
            for (int dy = 0; dy < 2; dy++) {
              for (int dx = 0; dx < 2; dx++) {
                int at = (ch * h + 2 * oy + dy) * w + 2 * ox + dx;
                if (x.get(b, at) > x.get(b, best)) {
                  best = at;
                }
              }
            }
            assertEquals(x.get(b, best), y[o], "window " + o);
            expectedGin[b * c * h * w + best] = g.data()[o];
          }
        }
      }
    }
    assertTrue(java.util.Arrays.equals(expectedGin, gin.toArray()));
  }

  @Test
  void reluPassesOnlyPositiveValuesAndTheirGradients() {
    double[] in = {2.5, -3, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE};
    Matrix x = Matrix.wrap(in.clone(), 1, in.length);
    Matrix g = new Matrix(1, in.length).fill(7.0);
    ReLU relu = new ReLU();
    double[] y = relu.forward(x).toArray();
    double[] gi = relu.backward(x, g).toArray();
    for (int i = 0; i < in.length; i++) {
      // Bits, not values: -0 and NaN must come out as +0.
      assertEquals(Double.doubleToRawLongBits(in[i] > 0 ? in[i] : 0.0), Double.doubleToRawLongBits(y[i]),
          "relu(" + in[i] + ")");
      assertEquals(in[i] > 0 ? 7.0 : 0.0, gi[i], "gradient at " + in[i]);
    }
  }

  @Test
  void aConvolutionSpecRoundTripsWithItsOptions() {
    ModelSpec spec = new ModelSpec(Shape.image(3, 12, 10), List.of(
        LayerSpec.of("Conv2d").with("out_channels", 4).with("kernel_h", 3).with("kernel_w", 5).with("stride", 2)
            .with("padding", 1).with("compute", "float32"),
        LayerSpec.of("MaxPool2d").with("kernel_size", 2).with("stride", 1), LayerSpec.of("Flatten"),
        LayerSpec.linear(4 * 5 * 3, 3)));
    Sequential model = spec.build(1);
    assertTrue(((Conv2d) model.get(0)).isFloat32());
    ModelSpec described = ModelSpec.describe(model, Shape.image(3, 12, 10));
    assertEquals(spec.shapes(), described.shapes());
    assertEquals(described, ModelSpec.describe(described.build(1), Shape.image(3, 12, 10)));
    assertEquals(4 * 3 * 3 * 5 + 4 + 60 * 3 + 3, spec.countParameters()[0]);
  }

  @Test
  void badOptionsAreRefusedNamingThem() {
    Shape in = Shape.image(1, 8, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerSpec.of("Conv2d").with("kernel_size", 3).build(in));
    assertTrue(e.getMessage().contains("out_channels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerSpec.of("Conv2d").with("out_channels", 2).with("kernel_size", 3).with("stride", 0).build(in));
    assertTrue(e.getMessage().contains("stride"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerSpec.of("Conv2d").with("out_channels", 2).with("kernel_size", 3).with("compute", "half")
            .build(in));
    assertTrue(e.getMessage().contains("compute"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.of("MaxPool2d").build(in));
    assertTrue(e.getMessage().contains("kernel_size"), e.getMessage());
  }
}
