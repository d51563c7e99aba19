package io.sparknn.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparknn.nn.LayerSpec;
import java.util.List;

/**
 * A training run as a config file states it (YAML or JSON; keys in snake_case). Every key is optional except
 * {@code model}; defaults are the homework's. Validation ({@link ConfigLoader}) happens before Spark starts.
 *
 * @param name run name, used in the run directory's name
 * @param seed seed of initialisation, shuffles, masks and augmentation
 * @param data where the data comes from and how it is split and partitioned
 * @param model the layers, in order: any type {@link io.sparknn.nn.LayerTypes} lists, built-in or registered
 * @param inputShape the shape of one input row, e.g. {@code [1, 28, 28]} (channels, height, width) for
 *     convolutions; absent: flat rows
 * @param criterion {@code ClassNLL}, {@code LogClassNLL} or {@code MSE}
 * @param target {@code classes} (classification) or {@code input} (autoencoder)
 * @param optimizer update rule, learning rate and schedule
 * @param batchSize global mini-batch size
 * @param epochs passes over the training data
 * @param output where runs are written
 * @param checkpoint how often to checkpoint and how many to keep
 * @param inputShape the shape of one input row (see above)
 * @param shards fixed row shards, a power of two, so that the weights are bit-identical for every
 *     {@code data.partitions} from 1 to it ({@link io.sparknn.data.ShardPlan}); 0 (the default) is off
 */
public record TrainConfig(
    String name,
    Long seed,
    DataConfig data,
    List<LayerSpec> model,
    String criterion,
    String target,
    OptimizerConfig optimizer,
    @JsonProperty("batch_size") Integer batchSize,
    Integer epochs,
    OutputConfig output,
    CheckpointConfig checkpoint,
    @JsonProperty("input_shape") List<Integer> inputShape,
    Integer shards) {

  /** A config without shards. */
  public TrainConfig(String name, Long seed, DataConfig data, List<LayerSpec> model, String criterion, String target,
      OptimizerConfig optimizer, Integer batchSize, Integer epochs, OutputConfig output, CheckpointConfig checkpoint,
      List<Integer> inputShape) {
    this(name, seed, data, model, criterion, target, optimizer, batchSize, epochs, output, checkpoint, inputShape,
        null);
  }

  /** A config of flat input rows (no {@code input_shape}). */
  public TrainConfig(String name, Long seed, DataConfig data, List<LayerSpec> model, String criterion, String target,
      OptimizerConfig optimizer, Integer batchSize, Integer epochs, OutputConfig output, CheckpointConfig checkpoint) {
    this(name, seed, data, model, criterion, target, optimizer, batchSize, epochs, output, checkpoint, null);
  }

  public TrainConfig {
    name = name == null ? "run" : name;
    seed = seed == null ? 42L : seed;
    data = data == null ? DataConfig.DEFAULT : data;
    criterion = criterion == null ? "ClassNLL" : criterion;
    target = target == null ? "classes" : target;
    optimizer = optimizer == null ? OptimizerConfig.DEFAULT : optimizer;
    batchSize = batchSize == null ? 128 : batchSize;
    epochs = epochs == null ? 10 : epochs;
    output = output == null ? OutputConfig.DEFAULT : output;
    checkpoint = checkpoint == null ? CheckpointConfig.DEFAULT : checkpoint;
    shards = shards == null ? 0 : shards;
  }
}
