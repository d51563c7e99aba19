package io.sparknn.sweep;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparknn.train.TrainingState;
import java.io.Serializable;

/**
 * A trial's training state between rungs ({@link TrainingState}, which is not serializable, as a value a Spark
 * task can return and a broadcast can carry): position, flat weights, running statistics, optimizer state.
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see KryoSerializerTest)
public record RungState(int epoch, int step, double[] weights, double[] state, double[] optimizerState)
    implements Serializable {

  public static RungState of(TrainingState s) {
    return new RungState(s.epoch(), s.step(), s.weights(), s.state(), s.optimizerState());
  }

  public TrainingState toTrainingState() {
    return new TrainingState(epoch, step, weights, state, optimizerState);
  }
}
