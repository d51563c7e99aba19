package io.sparknn.nn;

import io.sparknn.testkit.ModuleAssertions;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of Conv2d, MaxPool2d and Flatten (alone and in a small CNN with Dropout, so that
 * evaluation mode is checked too) on several image shapes, kernels, strides and paddings, by the test kit's
 * {@link ModuleAssertions}.
 */
class ConvolutionGradientTest {
  record Case(String name, Shape input, java.util.function.Supplier<Module> make) {
    @Override
    public String toString() {
      return name + " on " + input;
    }
  }

  private static Case conv(int in, int out, int kh, int kw, int stride, int pad, int h, int w) {
    return new Case("Conv2d " + in + "->" + out + " " + kh + "x" + kw + " stride " + stride + " padding " + pad,
        Shape.image(in, h, w), () -> new Conv2d(in, out, kh, kw, stride, pad, h, w, 17));
  }

  static Stream<Arguments> cases() {
    Case[] cases = {
      conv(1, 2, 3, 3, 1, 0, 5, 5),
      conv(2, 3, 3, 3, 2, 1, 6, 7),
      conv(3, 2, 2, 3, 2, 2, 5, 4),
      conv(2, 4, 5, 5, 1, 2, 6, 6),
      conv(1, 3, 3, 2, 3, 1, 8, 7),
      conv(2, 2, 1, 1, 1, 0, 3, 4),
      new Case("MaxPool2d 2", Shape.image(2, 4, 4), () -> new MaxPool2d(2, 2, 2, 4, 4)),
      new Case("MaxPool2d 3 stride 2 (overlapping)", Shape.image(2, 7, 5), () -> new MaxPool2d(3, 2, 2, 7, 5)),
      new Case("MaxPool2d 2 stride 1", Shape.image(3, 3, 5), () -> new MaxPool2d(2, 1, 3, 3, 5)),
      new Case("MaxPool2d 2 on an odd side", Shape.image(1, 5, 5), () -> new MaxPool2d(2, 2, 1, 5, 5)),
      new Case("Flatten", Shape.image(2, 3, 3), Flatten::new),
      new Case("CNN with Dropout", Shape.image(2, 9, 8), () -> new Sequential()
          .add(new Conv2d(2, 4, 3, 3, 1, 1, 9, 8, 3)).add(new ReLU()).add(new MaxPool2d(2, 2, 4, 9, 8))
          .add(new Conv2d(4, 3, 2, 2, 2, 1, 4, 4, 5)).add(new Tanh()).add(new Flatten())
          .add(new Linear(27, 6, 7)).add(new Dropout(0.3)).add(new Linear(6, 3, 9)).add(new LogSoftMax())),
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (Case c : cases) {
      for (int batch : new int[] {1, 3}) {
        b.add(Arguments.of(c, batch));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("cases")
  void analyticGradientsMatchFiniteDifferences(Case c, int batch) {
    ModuleAssertions.assertGradients(c.make.get(), batch, c.input.features(), batch * 131L + c.name.length());
  }
}
