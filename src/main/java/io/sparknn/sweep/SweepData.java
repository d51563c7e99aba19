package io.sparknn.sweep;

import io.sparknn.config.DataConfig;
import io.sparknn.config.TrainConfig;
import io.sparknn.run.PreparedData;
import java.util.HashMap;
import java.util.Map;

/**
 * The data sets a sweep's trials train on, read on the driver with {@link PreparedData#load} once per distinct
 * data config: trials differ in hyperparameters, so they normally all share one. A sweep over a data key
 * ({@code data.limit}, {@code data.standardize}, or {@code seed}, which picks the validation split) loads one
 * per distinct value. Thread-safe.
 */
public final class SweepData {
  /** What decides the data: the data config (augmentation aside: that happens per batch) and the random seed. */
  public record Key(DataConfig data, long seed) {
    public static Key of(TrainConfig c) {
      DataConfig d = c.data();
      PreparedData.requireIdx(d);
      return new Key(new DataConfig(d.dir(), d.validation(), d.standardize(), d.partitions(), d.limit(), null),
          c.seed());
    }
  }

  private final Map<Key, PreparedData> loaded = new HashMap<>();

  /** The data of trial config {@code c}, loaded on first use. */
  public synchronized PreparedData get(TrainConfig c) {
    Key k = Key.of(c);
    PreparedData d = loaded.get(k);
    if (d == null) {
      d = PreparedData.load(k.data(), k.seed());
      loaded.put(k, d);
    }
    return d;
  }
}
