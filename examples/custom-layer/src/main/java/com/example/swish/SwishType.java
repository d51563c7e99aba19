package com.example.swish;

import io.sparknn.nn.LayerOption;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerType;
import io.sparknn.nn.Module;
import java.util.List;

/**
 * Registers {@link Swish} with sparknn's layer registry under the name {@code Swish}, with one option,
 * {@code beta} (default 1.0). Listed in {@code META-INF/services/io.sparknn.nn.LayerType}, so that the driver
 * and every executor find it on the class path: ServiceLoader needs a public class with a public no-argument
 * constructor.
 */
public final class SwishType implements LayerType {
  static final LayerOption<Double> BETA = LayerOption.number("beta", 1.0);

  @Override
  public String name() {
    return "Swish";
  }

  @Override
  public Class<? extends Module> moduleClass() {
    return Swish.class;
  }

  @Override
  public List<LayerOption<?>> options() {
    return List.of(BETA);
  }

  @Override
  public Module build(LayerSpec spec, int inputWidth) {
    return new Swish(BETA.of(spec));
  }

  @Override
  public LayerSpec describe(Module m) {
    return LayerSpec.of("Swish").with("beta", ((Swish) m).beta());
  }
}
