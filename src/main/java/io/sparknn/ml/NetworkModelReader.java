package io.sparknn.ml;

import io.sparknn.io.ModelFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader.Metadata;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Loads what {@link NetworkModelWriter} saved: the params metadata (which must name {@code modelClass}) and the
 * sparknn model directory inside, whose every size is checked by {@link ModelFiles#load}.
 */
final class NetworkModelReader<M extends Params> extends MLReader<M> {
  /** Makes the model from its uid and network; the saved params are then set on it. */
  interface Factory<M> {
    M create(String uid, TrainedNetwork network);
  }

  private final Class<M> modelClass;
  private final Factory<M> factory;

  NetworkModelReader(Class<M> modelClass, Factory<M> factory) {
    this.modelClass = modelClass;
    this.factory = factory;
  }

  @Override
  public M load(String path) {
    Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), modelClass.getName());
    ModelFiles.Loaded loaded = ModelFiles.load(new Path(path, NetworkModelWriter.MODEL_DIR).toString(),
        sc().hadoopConfiguration());
    M model = factory.create(metadata.uid(), new TrainedNetwork(loaded.spec(), loaded.model().weightsAndState()));
    metadata.getAndSetParams(model, Option.empty());
    return model;
  }
}
