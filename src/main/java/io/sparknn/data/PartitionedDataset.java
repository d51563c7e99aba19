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
 *
 * <p>Data the driver should never hold (a table read by the executors, see {@link TableBlocks}) comes in through
 * {@link #cache}: the blocks are built where their rows are, cached there, and a lost executor rebuilds its block
 * from the source.
 */
public final class PartitionedDataset implements AutoCloseable {
  private final JavaRDD<Dataset> rdd;
  private final int[] sizes;
  private final List<Broadcast<Dataset>> blocks;
  private final int cols;

  private PartitionedDataset(JavaRDD<Dataset> rdd, int[] sizes, int cols, List<Broadcast<Dataset>> blocks) {
    this.rdd = rdd;
    this.sizes = sizes;
    this.cols = cols;
    this.blocks = blocks;
  }

  /** The rows of {@code data} cut into {@code partitions} contiguous, nearly equal blocks, in order. */
  public static Dataset[] split(Dataset data, int partitions) {
    return split(data, partitions, 0);
  }

  /**
   * As {@link #split(Dataset, int)}, the blocks holding whole fixed row shards of {@code shards} (0: none), as
   * {@link ShardPlan#rowCuts} cuts them: the same cut when {@code partitions} is a power of two.
   */
  public static Dataset[] split(Dataset data, int partitions, int shards) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be positive, got " + partitions);
    }
    if (partitions > data.rows()) {
      throw new IllegalArgumentException(partitions + " partitions for only " + data.rows() + " rows");
    }
    long[] cuts = shards > 0 ? ShardPlan.rowCuts(data.rows(), partitions, shards) : null;
    Dataset[] parts = new Dataset[partitions];
    for (int p = 0; p < partitions; p++) {
      long from = cuts != null ? cuts[p] : (long) p * data.rows() / partitions;
      long to = cuts != null ? cuts[p + 1] : (long) (p + 1) * data.rows() / partitions;
      parts[p] = data.slice((int) from, (int) to);
    }
    return parts;
  }

  /** Distributes {@code data} over {@code partitions} partitions and caches it (computed once, here). */
  public static PartitionedDataset distribute(JavaSparkContext sc, Dataset data, int partitions, String name) {
    return distribute(sc, data, partitions, 0, name);
  }

  /**
   * As {@link #distribute(JavaSparkContext, Dataset, int, String)}, the partitions holding whole fixed row shards
   * of {@code shards} (0: none; see {@link #split(Dataset, int, int)}).
   */
  public static PartitionedDataset distribute(JavaSparkContext sc, Dataset data, int partitions, int shards,
      String name) {
    Dataset[] parts = split(data, partitions, shards);
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
    return new PartitionedDataset(rdd, sizes, data.cols(), blocks);
  }

  /**
   * Caches {@code blocks} (one {@link Dataset} per partition, computed by the executors) and computes them once,
   * here, learning each partition's row count; the driver receives only the counts and widths. Blocks of
   * different widths are refused, naming {@code source} and the partitions.
   */
  public static PartitionedDataset cache(JavaRDD<Dataset> blocks, String name, String source) {
    JavaRDD<Dataset> rdd = blocks.setName(name).persist(StorageLevel.MEMORY_ONLY());
    List<int[]> shapes;
    try {
      shapes = rdd.map(d -> new int[] {d.rows(), d.cols()}).collect();
    } catch (RuntimeException e) {
      rdd.unpersist(false);
      throw e;
    }
    int[] sizes = new int[shapes.size()];
    for (int p = 0; p < sizes.length; p++) {
      sizes[p] = shapes.get(p)[0];
      if (shapes.get(p)[1] != shapes.get(0)[1]) {
        rdd.unpersist(false);
        throw new DataFileException(source, "partition " + p + " has rows of " + shapes.get(p)[1]
            + " features, partition 0 of " + shapes.get(0)[1] + "; every row must have the same width");
      }
    }
    return new PartitionedDataset(rdd, sizes, shapes.get(0)[1], List.of());
  }

  /**
   * The same partitions with every feature standardised, {@code (x − mean) / std}, cached in place of these: this
   * data set's RDD is unpersisted once the new one is computed (a lost block is recomputed through it from the
   * source), and its broadcasts, if any, pass to the new one.
   */
  public PartitionedDataset standardized(double mean, double std) {
    JavaRDD<Dataset> scaled = rdd.map(d -> d.standardized(mean, std)).setName(rdd.name())
        .persist(StorageLevel.MEMORY_ONLY());
    scaled.count();
    rdd.unpersist(false);
    return new PartitionedDataset(scaled, sizes, cols, blocks);
  }

  /**
   * Mean and standard deviation of all feature values, from per-partition sums added in partition order on the
   * driver (deterministic; the driver receives three numbers per partition).
   */
  public double[] meanAndStd() {
    List<double[]> sums = rdd.map(d -> {
      double[] ms = d.meanAndStd();
      double n = (double) d.rows() * d.cols();
      return new double[] {ms[0] * n, (ms[1] * ms[1] + ms[0] * ms[0]) * n, n};
    }).collect();
    double sum = 0;
    double sumSq = 0;
    double n = 0;
    for (double[] s : sums) {
      sum += s[0];
      sumSq += s[1];
      n += s[2];
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(Math.max(0, sumSq / n - mean * mean))};
  }

  /** One {@link Dataset} per partition, cached. */
  public JavaRDD<Dataset> rdd() {
    return rdd;
  }

  /** Rows in each partition, in partition order. */
  public int[] sizes() {
    return sizes.clone();
  }

  /** Features per row (the same in every partition). */
  public int cols() {
    return cols;
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
