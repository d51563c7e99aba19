package io.sparknn.testkit;

import io.sparknn.data.Dataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.Optimizer;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingOptions;
import java.util.function.Supplier;

/**
 * What {@link TrainerAssertions} trains twice, on Spark and in one JVM: a model, the data and how many
 * partitions to cut it into, the criterion and target, a fresh optimizer per trainer, the training options and
 * the seed the model is built with. {@link #of} gives defaults (2 partitions, ClassNLL on classes, SGD with
 * momentum 0.9, batch 64, 1 epoch, lr 0.05, seeds 1); the {@code with} methods change one thing each.
 */
public record TrainingCase(ModelSpec spec, Dataset data, int partitions, CriterionSpec criterion, Target target,
    Supplier<Optimizer> optimizer, TrainingOptions options, long modelSeed) {
  public static TrainingCase of(ModelSpec spec, Dataset data) {
    return new TrainingCase(spec, data, 2, new CriterionSpec("ClassNLL"), Target.CLASSES,
        () -> new SgdMomentum(0.9), TrainingOptions.of(64, 1, 0.05, 1), 1);
  }

  public TrainingCase withPartitions(int p) {
    return new TrainingCase(spec, data, p, criterion, target, optimizer, options, modelSeed);
  }

  /** A criterion by its config name ({@code ClassNLL}, {@code LogClassNLL}, {@code MSE}). */
  public TrainingCase withCriterion(String type) {
    return new TrainingCase(spec, data, partitions, new CriterionSpec(type), target, optimizer, options,
        modelSeed);
  }

  public TrainingCase withTarget(Target t) {
    return new TrainingCase(spec, data, partitions, criterion, t, optimizer, options, modelSeed);
  }

  public TrainingCase withOptimizer(Supplier<Optimizer> o) {
    return new TrainingCase(spec, data, partitions, criterion, target, o, options, modelSeed);
  }

  public TrainingCase withOptions(TrainingOptions o) {
    return new TrainingCase(spec, data, partitions, criterion, target, optimizer, o, modelSeed);
  }

  public TrainingCase withModelSeed(long seed) {
    return new TrainingCase(spec, data, partitions, criterion, target, optimizer, options, seed);
  }
}
