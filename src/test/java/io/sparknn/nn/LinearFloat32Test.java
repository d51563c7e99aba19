package io.sparknn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.io.ModelFiles;
import io.sparknn.tensor.Matrix;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linear's float32 compute against its float64 arithmetic (the gradient-checked one) on the same weights: every
 * product agrees to float32's precision, the bias gradient exactly, and the option survives a model file.
 */
class LinearFloat32Test {
  private static Matrix random(int rows, int cols, long seed) {
    Matrix m = new Matrix(rows, cols);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < m.size(); i++) {
      m.data()[i] = r.nextDouble(-1, 1);
    }
    return m;
  }

  private static double relativeError(Matrix a, Matrix b) {
    double worst = 0;
    double scale = 1e-12;
    for (int i = 0; i < a.size(); i++) {
      scale = Math.max(scale, Math.abs(a.data()[a.offset() + i]));
    }
    for (int i = 0; i < a.size(); i++) {
      worst = Math.max(worst, Math.abs(a.data()[a.offset() + i] - b.data()[b.offset() + i]));
    }
    return worst / scale;
  }

  @Test
  void float32ProductsMatchFloat64ToSinglePrecision() {
    Linear d = new Linear(300, 70, 5);
    Linear f = new Linear(300, 70, 5).float32(true);
    Matrix x = random(37, 300, 1);
    Matrix g = random(37, 70, 2);
    Matrix yd = d.forward(x);
    Matrix yf = f.forward(x);
    Matrix gd = d.backward(x, g);
    Matrix gf = f.backward(x, g);
    double eOut = relativeError(yd, yf);
    double eIn = relativeError(gd, gf);
    Matrix wd = new Matrix(d.gradParameters(), 0, 70, 300);
    Matrix wf = new Matrix(f.gradParameters(), 0, 70, 300);
    double eW = relativeError(wd, wf);
    assertTrue(eOut < 1e-5 && eIn < 1e-5 && eW < 1e-5, "errors " + eOut + " " + eIn + " " + eW);
    assertTrue(eOut > 0 || eW > 0, "identical results would mean the float32 path did not run");
    for (int i = d.biasOffset(); i < d.parameterCount(); i++) {
      assertEquals(d.gradParameters()[i], f.gradParameters()[i], "the bias gradient is summed in float64");
    }
  }

  @Test
  void gradientsAccumulateAcrossBackwardCallsAsInFloat64() {
    Linear f = new Linear(20, 5, 9).float32(true);
    Matrix x = random(4, 20, 3);
    Matrix g = random(4, 5, 4);
    f.forward(x);
    f.backward(x, g);
    double[] once = f.gradParameters().clone();
    f.backward(x, g);
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], f.gradParameters()[i], 1e-6 * Math.max(1, Math.abs(once[i])));
    }
  }

  @Test
  void backwardGivenAnotherInputThanForwardsConvertsIt() {
    Linear d = new Linear(30, 6, 7);
    Linear f = new Linear(30, 6, 7).float32(true);
    Matrix x = random(5, 30, 5);
    Matrix other = random(5, 30, 6);
    Matrix g = random(5, 6, 8);
    d.forward(other);
    d.backward(other, g);
    f.forward(x);
    f.backward(other, g);
    Matrix wd = new Matrix(d.gradParameters(), 0, 6, 30);
    Matrix wf = new Matrix(f.gradParameters(), 0, 6, 30);
    assertTrue(relativeError(wd, wf) < 1e-5, "weight gradient of the input backward was given");
  }

  @Test
  void theComputeOptionSurvivesAModelFile(@TempDir Path dir) {
    ModelSpec spec = new ModelSpec(784, List.of(
        LayerSpec.linear(784, 32).with("compute", "float32"), LayerSpec.of("ReLU"),
        LayerSpec.linear(32, 10), LayerSpec.of("SoftMax")));
    Sequential model = spec.build(3);
    assertEquals(spec, ModelSpec.describe(model, 784));
    String out = dir.resolve("m").toString();
    ModelFiles.save(out, spec, model, new Configuration());
    ModelFiles.Loaded back = ModelFiles.load(out, new Configuration());
    assertEquals(spec, back.spec());
    assertTrue(back.model().toString().startsWith("Linear 784 -> 32 (float32 compute)"), back.model().toString());
  }
}
