package io.sparknn.sweep;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import java.io.Serializable;

/**
 * One epoch of a trial as the sweep records it; serializable, so a Spark task can return it. A metric that was
 * not measured (no validation set) is NaN.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch
 * @param valLoss validation loss after the epoch
 * @param valAccuracy validation accuracy after the epoch
 * @param learningRate learning rate at the epoch's last iteration
 * @param seconds training and evaluation time of this epoch
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
public record EpochResult(int epoch, double trainLoss, double valLoss, double valAccuracy, double learningRate,
    double seconds) implements Serializable {

  /** From a trainer's metrics; {@code previousElapsed} is the elapsed time the trainer reported one epoch before. */
  public static EpochResult of(EpochMetrics m, double previousElapsed) {
    Evaluation v = m.validation();
    return new EpochResult(m.epoch(), m.trainLoss(), v == null ? Double.NaN : v.loss(),
        v == null ? Double.NaN : v.accuracy(), m.learningRate(), m.elapsedSec() - previousElapsed);
  }
}
