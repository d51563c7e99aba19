package io.sparknn.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The update rule and its learning-rate schedule.
 *
 * @param type {@code sgd} (with momentum, the homework's rule) or {@code adam}
 * @param lr base learning rate
 * @param momentum SGD momentum in [0, 1)
 * @param nesterov SGD Nesterov form
 * @param weightDecay L2 weight decay added to the gradient
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps Adam's epsilon
 * @param clipNorm clip the gradient to this global L2 norm; 0 is off
 * @param schedule learning-rate schedule
 * @param localSteps steps each partition takes on its own between two synchronisations ("local SGD"); 1, the
 *     default, is the homework's synchronous loop ({@link io.sparknn.train.TrainingOptions#localSteps})
 */
public record OptimizerConfig(String type, Double lr, Double momentum, Boolean nesterov,
    @JsonProperty("weight_decay") Double weightDecay, Double beta1, Double beta2, Double eps,
    @JsonProperty("clip_norm") Double clipNorm, ScheduleConfig schedule,
    @JsonProperty("local_steps") Integer localSteps) {
  public static final OptimizerConfig DEFAULT =
      new OptimizerConfig(null, null, null, null, null, null, null, null, null, null, null);

  /** A synchronous optimizer ({@code local_steps} 1). */
  public OptimizerConfig(String type, Double lr, Double momentum, Boolean nesterov, Double weightDecay,
      Double beta1, Double beta2, Double eps, Double clipNorm, ScheduleConfig schedule) {
    this(type, lr, momentum, nesterov, weightDecay, beta1, beta2, eps, clipNorm, schedule, null);
  }

  public OptimizerConfig {
    type = type == null ? "sgd" : type;
    lr = lr == null ? 0.1 : lr;
    momentum = momentum == null ? 0.9 : momentum;
    nesterov = nesterov != null && nesterov;
    weightDecay = weightDecay == null ? 0.0 : weightDecay;
    beta1 = beta1 == null ? 0.9 : beta1;
    beta2 = beta2 == null ? 0.999 : beta2;
    eps = eps == null ? 1e-8 : eps;
    clipNorm = clipNorm == null ? 0.0 : clipNorm;
    schedule = schedule == null ? ScheduleConfig.DEFAULT : schedule;
    localSteps = localSteps == null ? 1 : localSteps;
  }

  /**
   * How the learning rate changes.
   *
   * @param type {@code constant}, {@code step} (× factor every {@code every} epochs) or {@code exponential}
   *     (× gamma per epoch)
   * @param factor step decay's factor
   * @param every step decay's period in epochs
   * @param gamma exponential decay's factor per epoch
   * @param warmupIterations linear warm-up over this many iterations first (0: none)
   */
  public record ScheduleConfig(String type, Double factor, Integer every, Double gamma,
      @JsonProperty("warmup_iterations") Integer warmupIterations) {
    public static final ScheduleConfig DEFAULT = new ScheduleConfig(null, null, null, null, null);

    public ScheduleConfig {
      type = type == null ? "constant" : type;
      factor = factor == null ? 0.5 : factor;
      every = every == null ? 1 : every;
      gamma = gamma == null ? 0.9 : gamma;
      warmupIterations = warmupIterations == null ? 0 : warmupIterations;
    }
  }
}
