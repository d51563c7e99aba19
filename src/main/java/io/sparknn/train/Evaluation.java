package io.sparknn.train;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * Loss, accuracy and confusion matrix over a data set, as sums that merge across partitions (in partition
 * order, so the result does not depend on scheduling).
 *
 * @param lossSum sum of per-sample losses
 * @param count samples seen
 * @param correct samples whose arg-max output is their class (classification only)
 * @param confusion counts by [true class][predicted class], or an empty array without classes
 */
@DefaultSerializer(JavaSerializer.class)  // Kryo cannot build records (see SparkTrainerUnderKryoTest)
public record Evaluation(double lossSum, long count, long correct, long[][] confusion) implements Serializable {
  /** Nothing seen yet. */
  public static Evaluation empty(int classes) {
    return new Evaluation(0, 0, 0, new long[classes][classes]);
  }

  public Evaluation plus(Evaluation o) {
    long[][] c = new long[confusion.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = confusion[i].clone();
      for (int j = 0; j < c[i].length; j++) {
        c[i][j] += o.confusion[i][j];
      }
    }
    return new Evaluation(lossSum + o.lossSum, count + o.count, correct + o.correct, c);
  }

  /** Mean loss per sample. */
  public double loss() {
    return count == 0 ? Double.NaN : lossSum / count;
  }

  /** Fraction of samples classified correctly. */
  public double accuracy() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }
}
