package io.sparknn.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sparknn.config.ConfigLoader;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.optim.Adam;
import io.sparknn.optim.Optimizer;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.train.TrainingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The values of an estimator's training params, checked together and turned into what {@code SparkTrainer}
 * takes: the model (from {@code layers} and {@code activation}, or from {@code modelSpec}, the configs' layer
 * list as YAML or JSON text), the optimizer and the loop's options. Every refusal names the param.
 *
 * @param layers input width, hidden widths, output width (null or empty when {@code modelSpec} gives the model)
 * @param modelSpec the layer list as text, or empty
 * @param activation the hidden layers' layer type when the model comes from {@code layers}
 * @param head the output layer appended after the last Linear when the model comes from {@code layers}
 *     ({@code SoftMax} for a classifier; null for none)
 * @param shards fixed row shards (0: off), which {@link TableTraining} cuts the partitions by
 */
record NetworkSettings(int[] layers, String modelSpec, String activation, String head, String solver,
    double stepSize, double momentum, int batchSize, int maxIter, long seed, int localSteps, int shards) {

  /** The solvers {@code solver} accepts. */
  static final String[] SOLVERS = {"sgd", "adam"};

  /** The model for {@code inputWidth} features; refuses {@code layers} or {@code modelSpec} that do not fit. */
  ModelSpec model(int inputWidth) {
    boolean fromText = modelSpec != null && !modelSpec.isBlank();
    boolean fromLayers = layers != null && layers.length > 0;
    if (fromText == fromLayers) {
      throw new IllegalArgumentException(fromText ? "both 'layers' and 'modelSpec' are set; set one of them"
          : "the model is not set: set 'layers' (input, hidden..., outputs) or 'modelSpec' (a layer list)");
    }
    List<LayerSpec> specs = fromText ? parse(modelSpec) : fromLayers();
    if (fromLayers && layers[0] != inputWidth) {
      throw new IllegalArgumentException("'layers' starts with an input width of " + layers[0]
          + ", but the features column holds vectors of " + inputWidth + "; make layers[0] " + inputWidth);
    }
    Integer declared = specs.get(0).in();
    if (declared != null && declared != inputWidth) {
      throw new IllegalArgumentException("'modelSpec' declares an input width of " + declared + " (in: of its "
          + "first layer), but the features column holds vectors of " + inputWidth);
    }
    ModelSpec spec = new ModelSpec(inputWidth, specs);
    try {
      spec.build(seed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + (fromText ? "modelSpec" : "layers") + "': " + e.getMessage(), e);
    }
    return spec;
  }

  /** {@code layers} as Linear layers with {@code activation} between them and {@code head} at the end. */
  private List<LayerSpec> fromLayers() {
    if (layers.length < 2) {
      throw new IllegalArgumentException("'layers' needs at least an input and an output width, got "
          + Arrays.toString(layers));
    }
    List<LayerSpec> specs = new ArrayList<>();
    for (int i = 0; i + 1 < layers.length; i++) {
      specs.add(LayerSpec.linear(layers[i], layers[i + 1]));
      if (i + 2 < layers.length) {
        specs.add(activationLayer());
      }
    }
    if (head != null) {
      specs.add(LayerSpec.of(head));
    }
    return specs;
  }

  private LayerSpec activationLayer() {
    try {
      return LayerSpec.of(LayerSpec.canonicalType(activation));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'activation': " + e.getMessage(), e);
    }
  }

  /** Parses the layer list of a config's {@code model:} key, given as YAML or JSON text. */
  static List<LayerSpec> parse(String text) {
    try {
      List<LayerSpec> specs = ConfigLoader.mapper().readValue(text, new TypeReference<List<LayerSpec>>() {});
      if (specs == null || specs.isEmpty()) {
        throw new IllegalArgumentException("'modelSpec' holds no layers; expected a list such as "
            + "[{type: Linear, out: 10}, {type: SoftMax}]");
      }
      return specs;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("'modelSpec' is not a layer list: " + e.getOriginalMessage()
          + "; expected YAML or JSON such as [{type: Linear, out: 10}, {type: SoftMax}]", e);
    }
  }

  /** A fresh optimizer for {@code solver}. */
  Optimizer optimizer() {
    return switch (solver.toLowerCase(Locale.ROOT)) {
      case "sgd" -> new SgdMomentum(momentum);
      case "adam" -> new Adam();
      default -> throw new IllegalArgumentException("'solver' is '" + solver + "'; expected one of "
          + Arrays.toString(SOLVERS));
    };
  }

  /**
   * The loop's options; refuses {@code localSteps} above 1 with a solver other than sgd or with shards (whose
   * weights do not depend on the partitions, where local steps make them).
   */
  TrainingOptions options() {
    if (localSteps > 1 && shards > 0) {
      throw new IllegalArgumentException("'localSteps' is " + localSteps + " and 'shards' is " + shards + "; fixed "
          + "row shards give the same weights with any partitioning, which local steps on each partition would "
          + "undo: set 'localSteps' to 1 or 'shards' to 0");
    }
    if (localSteps > 1 && !solver.equalsIgnoreCase("sgd")) {
      throw new IllegalArgumentException("'localSteps' is " + localSteps + ", but 'solver' is '" + solver
          + "'; the driver steps with each round's mean displacement, which only sgd moves the weights by: set "
          + "'solver' to sgd or 'localSteps' to 1");
    }
    return TrainingOptions.of(batchSize, maxIter, stepSize, seed).withLocalSteps(localSteps).withShards(shards);
  }
}
