package io.sparknn.sweep;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparknn.train.TrainingState;
import java.io.Serializable;
import java.util.List;

/**
 * What training one trial from one rung to the next produced, in either mode.
 *
 * @param epochs the epochs trained in this step, in order (up to the divergence, if any)
 * @param end the state after the last epoch, to continue from at the next rung (null when failed)
 * @param failure why the trial failed (null when it did not): a divergence, or an error
 * @param seconds time spent training and evaluating
 * @param attempt the Spark task attempt that produced it (task mode; 0 otherwise)
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
public record RungOutcome(List<EpochResult> epochs, TrainingState end, String failure, double seconds, int attempt)
    implements Serializable {

  public RungOutcome {
    epochs = List.copyOf(epochs);
  }

  public static RungOutcome failed(String reason, double seconds) {
    return new RungOutcome(List.of(), null, reason, seconds, 0);
  }

  public boolean ok() {
    return failure == null;
  }
}
