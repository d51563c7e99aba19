package com.example.swish;

import io.sparknn.nn.LayerOption;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerType;
import io.sparknn.nn.ServiceLayerType;
import java.util.List;

/**
 * Registers {@link Swish} with sparknn's layer registry under the name {@code Swish}, with one option,
 * {@code beta} (default 1.0). Listed in {@code META-INF/services/io.sparknn.nn.LayerType}, so that the driver
 * and every executor find it on the class path: ServiceLoader needs a public class with a public no-argument
 * constructor, which {@link ServiceLayerType} turns into the one-statement declaration below.
 */
public final class SwishType extends ServiceLayerType {
  static final LayerOption<Double> BETA = LayerOption.number("beta", 1.0);

  public SwishType() {
    super(LayerType.of("Swish", Swish.class, List.of(BETA), (spec, width) -> new Swish(BETA.of(spec)),
        m -> LayerSpec.of("Swish").with("beta", m.beta())));
  }
}
