package io.sparknn.nn;

import java.util.List;

/**
 * The class a jar names in {@code META-INF/services/io.sparknn.nn.LayerType} for a layer type declared in one
 * statement with {@link LayerType#of}: {@link java.util.ServiceLoader} needs a public class with a public
 * no-argument constructor, so a subclass passes its declaration up and this class answers for it:
 * {@code public SwishType() { super(LayerType.of("Swish", Swish.class, ...)); }}.
 */
public abstract class ServiceLayerType implements LayerType {
  private final LayerType declared;

  protected ServiceLayerType(LayerType declared) {
    this.declared = declared;
  }

  @Override
  public String name() {
    return declared.name();
  }

  @Override
  public Class<? extends Module> moduleClass() {
    return declared.moduleClass();
  }

  @Override
  public List<LayerOption<?>> options() {
    return declared.options();
  }

  @Override
  public Module build(LayerSpec spec, int inputWidth) {
    return declared.build(spec, inputWidth);
  }

  @Override
  public LayerSpec describe(Module m) {
    return declared.describe(m);
  }

  @Override
  public Size size(LayerSpec spec, long inputWidth) {
    return declared.size(spec, inputWidth);
  }
}
