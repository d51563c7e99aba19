package io.sparknn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * The registry of layer types: the built-in ones (one line each below) and those other jars register through
 * {@link ServiceLoader} ({@code META-INF/services/io.sparknn.nn.LayerType}). Lookups are case-insensitive.
 * Services are looked up through the thread's context class loader, which is where Spark puts the jars of an
 * application on the driver and on executors, and through this class's own loader; each loader's registry is
 * read once, and again when a name is not found in it.
 */
public final class LayerTypes {
  /** The built-in layer types, in the order messages list them. */
  private static final List<LayerType> BUILT_IN = List.of(
      Linear.TYPE,
      ReLU.TYPE,
      LeakyReLU.TYPE,
      ELU.TYPE,
      SoftPlus.TYPE,
      Sigmoid.TYPE,
      Tanh.TYPE,
      SoftMax.TYPE,
      LogSoftMax.TYPE,
      Dropout.TYPE,
      BatchMeanSubtraction.TYPE,
      BatchNormalization.TYPE,
      Conv2d.TYPE,
      MaxPool2d.TYPE,
      Flatten.TYPE);

  // One entry per context class loader: Spark has a handful per JVM, kept for the JVM's life.
  private static final Map<ClassLoader, Map<String, LayerType>> BY_LOADER =
      Collections.synchronizedMap(new WeakHashMap<>());

  private LayerTypes() {}

  /** Every registered type, built-in ones first. */
  public static List<LayerType> all() {
    return List.copyOf(registry().values());
  }

  /** The names of every registered type, built-in ones first. */
  public static List<String> names() {
    return all().stream().map(LayerType::name).toList();
  }

  /** The type called {@code name} (any case), if one is registered. */
  public static Optional<LayerType> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    LayerType t = registry(false).get(key(name));
    // A miss reads the services again: Spark may have added a jar to the loader since (SparkContext.addJar).
    return Optional.ofNullable(t != null ? t : registry(true).get(key(name)));
  }

  /** The type called {@code name}, or an {@link IllegalArgumentException} listing the registered ones. */
  public static LayerType get(String name) {
    if (name == null) {
      throw new IllegalArgumentException("a layer needs a 'type', one of " + names());
    }
    return find(name).orElseThrow(() -> new IllegalArgumentException("unknown layer type '" + name
        + "'; expected one of " + names()));
  }

  /** The type that describes {@code m}, or an {@link IllegalArgumentException} listing the describable ones. */
  public static LayerType describing(Module m) {
    for (LayerType t : registry().values()) {
      if (t.moduleClass() == m.getClass()) {
        return t;
      }
    }
    throw new IllegalArgumentException("no layer spec for " + m.getClass().getSimpleName()
        + "; describable types are " + names());
  }

  private static Map<String, LayerType> registry() {
    return registry(false);
  }

  private static Map<String, LayerType> registry(boolean reread) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader own = LayerTypes.class.getClassLoader();
    ClassLoader loader = context != null ? context : own;
    Map<String, LayerType> r = reread ? null : BY_LOADER.get(loader);
    if (r == null) {
      r = read(loader, own);
      BY_LOADER.put(loader, r);
    }
    return r;
  }

  private static Map<String, LayerType> read(ClassLoader loader, ClassLoader own) {
    Map<String, LayerType> r = new LinkedHashMap<>();
    List<LayerType> types = new ArrayList<>(BUILT_IN);
    try {
      ServiceLoader.load(LayerType.class, loader).forEach(types::add);
      if (own != loader) {
        ServiceLoader.load(LayerType.class, own).forEach(types::add);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("cannot load the layer types listed in META-INF/services/"
          + LayerType.class.getName() + ": " + e.getMessage(), e);
    }
    for (LayerType t : types) {
      LayerType before = r.putIfAbsent(key(t.name()), t);
      if (before != null && before.getClass() != t.getClass()) {
        throw new IllegalStateException("two layer types are named '" + t.name() + "': "
            + before.getClass().getName() + " and " + t.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(r);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
