package io.sparknn.train;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * What one partition returns for one iteration: <em>sums</em> over its rows, so the driver can add them in
 * partition order and divide once by the global count.
 *
 * @param gradSum sum over rows of the parameter gradients, packed ({@link io.sparknn.tensor.PackedDoubles})
 * @param lossSum sum over rows of the loss
 * @param count rows in this partition's share
 * @param stateSum this partition's running statistics after the step, times {@code count} (empty when the
 *     model has none), so their count-weighted mean is the global update
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
public record PartitionResult(byte[] gradSum, double lossSum, int count, double[] stateSum) implements Serializable {
}
