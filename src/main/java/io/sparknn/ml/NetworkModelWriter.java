package io.sparknn.ml;

import io.sparknn.io.ModelFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves a fitted sparknn model as Spark ML saves its own: {@code PATH/metadata} is Spark's params metadata
 * (class, uid, params; what {@code PipelineModel.load} reads to find the class whose {@code read().load} it
 * calls), and {@code PATH/model} is a sparknn model directory ({@code model.json}, {@code weights.bin},
 * {@code _COMPLETE}), the files {@code jobs/evaluate.sh PATH/model} and {@code TrainJob} runs read too.
 */
final class NetworkModelWriter extends MLWriter {
  /** The sparknn model directory inside a saved Spark ML model. */
  static final String MODEL_DIR = "model";

  private final Params instance;
  private final TrainedNetwork network;

  NetworkModelWriter(Params instance, TrainedNetwork network) {
    this.instance = instance;
    this.network = network;
  }

  @Override
  public void saveImpl(String path) {
    DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
    ModelFiles.save(new Path(path, MODEL_DIR).toString(), network.spec(), network.build(),
        sc().hadoopConfiguration());
  }
}
