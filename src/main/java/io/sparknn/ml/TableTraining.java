package io.sparknn.ml;

import io.sparknn.data.PartitionedDataset;
import io.sparknn.data.RowSelection;
import io.sparknn.data.ShardPlan;
import io.sparknn.data.TableBlocks;
import io.sparknn.data.TableColumns;
import io.sparknn.data.TableSource;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.train.Target;
import io.sparknn.train.spark.SparkTrainer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.runtime.AbstractFunction1;

/**
 * Trains a network on a DataFrame's partitions, where they are: each non-empty partition becomes one cached
 * block on its executor ({@link TableBlocks}, every row checked), {@code SparkTrainer} runs the homework's loop
 * over them, and the driver keeps only the weights. The same DataFrame (same rows in the same partitions),
 * params and seed give bit-identical weights; with fixed row shards, the same rows in the same order do, however
 * they are partitioned ({@link #blocks}).
 */
final class TableTraining {
  /** The data's name in error messages. */
  static final String SOURCE = "the DataFrame";

  /**
   * A trained network.
   *
   * @param spec the model, for {@code spec.inputWidth()} features
   * @param weightsAndState its flat parameters, then its running statistics
   * @param epochLosses the mean training loss of each epoch (kept by a fitted model, not saved)
   */
  record Trained(ModelSpec spec, double[] weightsAndState, double[] epochLosses) {}

  private TableTraining() {}

  /** Trains a classifier: the model must end with SoftMax (ClassNLL) or LogSoftMax (LogClassNLL). */
  static Trained classifier(Dataset<?> data, String featuresCol, String labelCol, NetworkSettings settings) {
    settings.options(); // refuses conflicting params before any job runs
    int width = inputWidth(data, featuresCol, settings);
    ModelSpec spec = settings.model(width);
    CriterionSpec criterion = classificationCriterion(spec);
    int classes = spec.build(settings.seed()).outputSize(width);
    if (classes < 2 || classes > 256) {
      throw new IllegalArgumentException("the model gives " + classes + " outputs; a classifier needs between 2 "
          + "and 256 classes, one output per class");
    }
    TableColumns columns = new TableColumns(featuresCol, labelCol, SOURCE);
    return train(data, columns, blocks(data, columns, classes, settings.shards()), spec, criterion, Target.CLASSES,
        settings);
  }

  /** Trains a regressor: the model gives one output per row, compared with the label by MSE. */
  static Trained regressor(Dataset<?> data, String featuresCol, String labelCol, NetworkSettings settings) {
    settings.options(); // refuses conflicting params before any job runs
    int width = inputWidth(data, featuresCol, settings);
    ModelSpec spec = settings.model(width);
    requireOneOutput(spec);
    TableColumns columns = new TableColumns(featuresCol, labelCol, SOURCE);
    return train(data, columns, blocks(data, columns, 0, settings.shards()), spec, new CriterionSpec("MSE"),
        Target.VALUES, settings);
  }

  /**
   * The training blocks, one per partition ({@code classes} 0: one real-valued target per row). Without shards,
   * the DataFrame's non-empty partitions where they are. With {@code shards}, its rows in the order its partitions
   * hold them, regrouped by one shuffle into as many partitions as it has (at most {@code shards}), each holding the
   * whole shards {@link ShardPlan#rowCuts} gives it, so that the same rows in the same order make the same
   * shards whatever the DataFrame's partitioning. A classifier's rows are checked before the shuffle, so that a
   * bad row is named by the DataFrame's partition; a regressor's labels are real values, which that scan would
   * refuse, so its rows are counted there and checked as the blocks are built.
   */
  static JavaRDD<io.sparknn.data.Dataset> blocks(Dataset<?> data, TableColumns columns, int classes, int shards) {
    if (shards == 0) {
      Dataset<Row> rows = nonEmptyPartitions(data, columns.label());
      return classes > 0 ? TableBlocks.of(rows, columns, classes) : TableBlocks.ofValues(rows, columns);
    }
    TableSource source = TableSource.of(data.toDF(), columns);
    long[] sizes = classes > 0 ? source.scan(classes).sizes() : source.sizes();
    long n = Arrays.stream(sizes).sum();
    if (n < shards) {
      throw new IllegalArgumentException("'shards' is " + shards + ", but " + SOURCE + " has only " + n
          + " rows; expected at most one shard per row");
    }
    int partitions = (int) Math.min(sizes.length, shards);
    return source.blocks(new TableSource.Scan(sizes, 0, 0),
        RowSelection.without(n, new int[0], ShardPlan.rowCuts(n, partitions, shards)), classes);
  }

  /** Refuses a regression model that does not give exactly one output per row. */
  static void requireOneOutput(ModelSpec spec) {
    int outputs = spec.build(0).outputSize(spec.inputWidth());
    if (outputs != 1) {
      throw new IllegalArgumentException("the model gives " + outputs + " outputs per row; a regressor's model "
          + "gives one, the predicted label (end 'layers' with 1)");
    }
  }

  static Trained train(Dataset<?> data, TableColumns columns, JavaRDD<io.sparknn.data.Dataset> blocks,
      ModelSpec spec, CriterionSpec criterion, Target target, NetworkSettings settings) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    try (PartitionedDataset train = PartitionedDataset.cache(blocks, "sparknn fit", columns.source())) {
      if (train.cols() != spec.inputWidth()) {
        throw new IllegalArgumentException("column '" + columns.features() + "' holds vectors of " + train.cols()
            + " features, but the model takes " + spec.inputWidth());
      }
      Sequential model = spec.build(settings.seed());
      List<Double> losses = new ArrayList<>();
      new SparkTrainer(sc, spec, model, criterion, target, settings.optimizer(), settings.options())
          .fit(train, null, m -> losses.add(m.trainLoss()));
      return new Trained(spec, model.weightsAndState(), losses.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** ClassNLL after a SoftMax, LogClassNLL after a LogSoftMax; any other last layer is refused. */
  static CriterionSpec classificationCriterion(ModelSpec spec) {
    String last = LayerSpec.canonicalType(spec.layers().get(spec.layers().size() - 1).type());
    return switch (last) {
      case "SoftMax" -> new CriterionSpec("ClassNLL");
      case "LogSoftMax" -> new CriterionSpec("LogClassNLL");
      default -> throw new IllegalArgumentException("'modelSpec' ends with " + last + "; a classifier's model "
          + "must end with SoftMax or LogSoftMax, whose outputs are the class probabilities");
    };
  }

  /**
   * The width of the features column: {@code layers[0]} when the model comes from {@code layers} (checked
   * against the data once cached), else the column's ML attribute size, else the first row's vector size.
   */
  static int inputWidth(Dataset<?> data, String featuresCol, NetworkSettings settings) {
    if (settings.layers() != null && settings.layers().length > 0) {
      return settings.layers()[0];
    }
    int size = AttributeGroup.fromStructField(data.schema().apply(featuresCol)).size();
    if (size > 0) {
      return size;
    }
    List<Row> first = data.select(featuresCol).limit(1).collectAsList();
    if (first.isEmpty() || first.get(0).isNullAt(0)) {
      throw new IllegalArgumentException(SOURCE + " has no rows with a value in column '" + featuresCol
          + "'; expected data to train on");
    }
    return first.get(0).<Vector>getAs(0).size();
  }

  /**
   * {@code data} without its empty partitions (a filter or a random split easily leaves some, and a training
   * block needs rows), found by counting each partition's labels: one pass over the label column alone.
   */
  static Dataset<Row> nonEmptyPartitions(Dataset<?> data, String labelCol) {
    Dataset<Row> rows = data.toDF();
    List<Long> counts = rows.select(labelCol).javaRDD().mapPartitions(it -> {
      long n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    boolean[] keep = new boolean[counts.size()];
    int kept = 0;
    for (int p = 0; p < keep.length; p++) {
      keep[p] = counts.get(p) > 0;
      kept += keep[p] ? 1 : 0;
    }
    if (kept == 0) {
      throw new IllegalArgumentException(SOURCE + " has no rows; expected data to train on");
    }
    if (kept == keep.length) {
      return rows;
    }
    PartitionPruningRDD<Row> pruned = PartitionPruningRDD.create(rows.rdd(), new Kept(keep));
    return data.sparkSession().createDataFrame(pruned.toJavaRDD(), rows.schema());
  }

  /** Spark's partition filter: whether partition {@code p} is kept. */
  private static final class Kept extends AbstractFunction1<Object, Object> implements Serializable {
    private final boolean[] keep;

    Kept(boolean[] keep) {
      this.keep = keep;
    }

    @Override
    public Object apply(Object p) {
      return keep[(Integer) p];
    }
  }
}
