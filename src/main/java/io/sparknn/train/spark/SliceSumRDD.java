package io.sparknn.train.spark;

import io.sparknn.train.PairwiseSum;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.Product2;
import scala.reflect.ClassTag$;

/**
 * The reduce side of the sliced aggregation: reducer {@code s} receives slice {@code s} of every partition's
 * gradient sum through the shuffle, in whatever order the fetches complete, puts them in partition order and
 * adds them into zeros in that order, exactly as the driver's partition-by-partition sum would (same operands,
 * same order, same operations): the result never depends on which task or fetch finished first. Over fixed row
 * shards it adds them along the shards' tree instead ({@link PairwiseSum}), as the driver would add whole sums.
 */
final class SliceSumRDD extends RDD<SliceRecord> {
  private final int mapPartitions;
  private final int[] spans;

  /** @param spans the fixed row shards each partition holds, whose sums are added along their tree; or null */
  SliceSumRDD(RDD<Product2<Object, SliceRecord>> shuffled, int mapPartitions, int[] spans) {
    super(shuffled, ClassTag$.MODULE$.apply(SliceRecord.class));
    this.mapPartitions = mapPartitions;
    this.spans = spans;
  }

  @Override
  public scala.collection.Iterator<SliceRecord> compute(Partition split, TaskContext context) {
    scala.collection.Iterator<Object> it = firstParent(ClassTag$.MODULE$.Any()).iterator(split, context);
    SliceRecord[] byPartition = new SliceRecord[mapPartitions];
    while (it.hasNext()) {
      @SuppressWarnings("unchecked")
      SliceRecord r = ((Product2<Object, SliceRecord>) it.next())._2();
      if (byPartition[r.index()] != null) {
        throw new IllegalStateException("slice " + split.index() + " got partition " + r.index() + " twice");
      }
      byPartition[r.index()] = r;
    }
    int n = 0;
    for (int p = 0; p < mapPartitions; p++) {
      if (byPartition[p] == null) {
        throw new IllegalStateException("slice " + split.index() + " got nothing from partition " + p);
      }
      n = byPartition[p].gradient().length / Double.BYTES;
    }
    SliceRecord out = spans != null ? alongTheTree(split.index(), byPartition, n, spans)
        : inOrder(split.index(), byPartition, n);
    return scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(out).iterator());
  }

  private static SliceRecord alongTheTree(int slice, SliceRecord[] byPartition, int n, int[] spans) {
    PairwiseSum tree = new PairwiseSum().reset(n, byPartition[0].stateSum().length);
    for (int p = 0; p < byPartition.length; p++) {  // partition order, along the tree
      SliceRecord r = byPartition[p];
      ByteBuffer.wrap(r.gradient()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(tree.next());
      tree.commit(r.lossSum(), r.rows(), r.stateSum(), spans[p]);
    }
    return new SliceRecord(slice, packed(tree.gradient()), tree.lossSum(), tree.rows(), tree.state());
  }

  private static SliceRecord inOrder(int slice, SliceRecord[] byPartition, int n) {
    double[] sum = new double[n];
    double[] state = new double[byPartition[0].stateSum().length];
    double loss = 0;
    long rows = 0;
    for (SliceRecord r : byPartition) {  // partition order, always
      DoubleBuffer v = ByteBuffer.wrap(r.gradient()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
      for (int i = 0; i < n; i++) {
        sum[i] += v.get(i);
      }
      double[] s = r.stateSum();
      for (int i = 0; i < state.length; i++) {
        state[i] += s[i];
      }
      loss += r.lossSum();
      rows += r.rows();
    }
    return new SliceRecord(slice, packed(sum), loss, rows, state);
  }

  private static byte[] packed(double[] values) {
    byte[] packed = new byte[values.length * Double.BYTES];
    ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values);
    return packed;
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(ClassTag$.MODULE$.Any()).partitions();
  }
}
