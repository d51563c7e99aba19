package io.sparknn.nn;

import io.sparknn.tensor.Matrix;

/**
 * Base of the element-wise activations: {@code y[i] = f(x[i])}, {@code gradInput[i] = f'(x[i]) · g[i]}.
 *
 * <p>It owns the buffer handling and shape checks; each activation writes its own tight primitive loop over
 * the arrays (one loop per subclass keeps the JIT's inlining monomorphic), given the input, the stored
 * output (handy for Sigmoid, Tanh and ELU) and the incoming gradient.
 */
public abstract class Pointwise extends Module {

  /** {@code y[yo + i] = f(x[xo + i])} for {@code i < n}. */
  protected abstract void apply(double[] x, int xo, double[] y, int yo, int n);

  /** {@code gi[o + i] = f'(x[xo + i]) · g[go + i]}, where {@code y} holds the outputs of the last forward. */
  protected abstract void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi,
      int o, int n);

  @Override
  public Matrix updateOutput(Matrix input) {
    Matrix out = Matrix.reuse(output, input.rows(), input.cols());
    apply(input.data(), input.offset(), out.data(), out.offset(), input.size());
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireGradShape(gradOutput, input);
    if (output == null || output.rows() != input.rows() || output.cols() != input.cols()) {
      throw new IllegalStateException(this + ": backward without a forward on an input of this shape");
    }
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols());
    derive(input.data(), input.offset(), output.data(), output.offset(), gradOutput.data(),
        gradOutput.offset(), gin.data(), gin.offset(), input.size());
    return gin;
  }
}
