package io.sparknn.nn;

import io.sparknn.tensor.Matrix;

/**
 * Reads an image row ({@code channels × height × width}) as a flat row of features, for PyTorch's habit of
 * writing {@code Flatten} between the convolutions and the first Linear. Rows are flat arrays already, so it
 * passes its input and the gradient through untouched (no copy) and changes only the shape the layers after it
 * see; a Linear after a convolution reads the row as flat without it too.
 */
public final class Flatten extends Module {
  /** {@code {type: Flatten}}: no options. */
  public static final LayerType TYPE = new LayerType() {
    @Override
    public String name() {
      return "Flatten";
    }

    @Override
    public Class<? extends Module> moduleClass() {
      return Flatten.class;
    }

    @Override
    public Module build(LayerSpec spec, int inputWidth) {
      return new Flatten();
    }

    @Override
    public Shape outputShape(LayerSpec spec, Shape input) {
      return Shape.flat(input.features());
    }

    @Override
    public String toString() {
      return "LayerType Flatten";
    }
  };

  @Override
  public Matrix updateOutput(Matrix input) {
    return input;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireGradShape(gradOutput, input);
    return gradOutput;
  }
}
