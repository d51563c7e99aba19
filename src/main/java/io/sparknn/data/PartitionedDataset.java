package io.sparknn.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A data set cut into {@code P} contiguous blocks and cached as an RDD with exactly one {@link Dataset} per
 * partition, in that order.
 *
 * <p>Each block travels once, as its own broadcast, and the RDD's partitions only hold an index: tasks stay
 * a few hundred bytes however large the data (a {@code parallelize}d collection would ship its rows inside
 * every task of every iteration), and a lost executor recomputes its cached block from the broadcast, which
 * the driver keeps. {@link #split} is the same cut for {@code LocalTrainer}.
 */
public final class PartitionedDataset implements AutoCloseable {
  private final JavaRDD<Dataset> rdd;
  private final int[] sizes;
  private final List<Broadcast<Dataset>> blocks;

  private PartitionedDataset(JavaRDD<Dataset> rdd, int[] sizes, List<Broadcast<Dataset>> blocks) {
    this.rdd = rdd;
    this.sizes = sizes;
    this.blocks = blocks;
  }

  /** The rows of {@code data} cut into {@code partitions} contiguous, nearly equal blocks, in order. */
  public static Dataset[] split(Dataset data, int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be positive, got " + partitions);
    }
    if (partitions > data.rows()) {
      throw new IllegalArgumentException(partitions + " partitions for only " + data.rows() + " rows");
    }
    Dataset[] parts = new Dataset[partitions];
    for (int p = 0; p < partitions; p++) {
      int from = (int) ((long) p * data.rows() / partitions);
      int to = (int) ((long) (p + 1) * data.rows() / partitions);
      parts[p] = data.slice(from, to);
    }
    return parts;
  }

  /** Distributes {@code data} over {@code partitions} partitions and caches it (computed once, here). */
  public static PartitionedDataset distribute(JavaSparkContext sc, Dataset data, int partitions, String name) {
    Dataset[] parts = split(data, partitions);
    List<Broadcast<Dataset>> blocks = new ArrayList<>(partitions);
    List<Integer> indices = new ArrayList<>(partitions);
    int[] sizes = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      blocks.add(sc.broadcast(parts[p]));
      indices.add(p);
      sizes[p] = parts[p].rows();
    }
    List<Broadcast<Dataset>> handles = List.copyOf(blocks);
    JavaRDD<Dataset> rdd = sc.parallelize(indices, partitions)
        .map(p -> handles.get(p).value())
        .setName(name)
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    return new PartitionedDataset(rdd, sizes, blocks);
  }

  /** One {@link Dataset} per partition, cached. */
  public JavaRDD<Dataset> rdd() {
    return rdd;
  }

  /** Rows in each partition, in partition order. */
  public int[] sizes() {
    return sizes.clone();
  }

  public int partitions() {
    return sizes.length;
  }

  /** Total rows. */
  public long rows() {
    long n = 0;
    for (int s : sizes) {
      n += s;
    }
    return n;
  }

  /** Unpersists the RDD and destroys the block broadcasts. */
  @Override
  public void close() {
    rdd.unpersist(false);
    for (Broadcast<Dataset> b : blocks) {
      Broadcasts.remove(b);
    }
  }
}
