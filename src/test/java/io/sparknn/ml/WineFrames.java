package io.sparknn.ml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The committed wine table ({@code data/wine/wine.csv}: 13 numeric columns and {@code class}) as a DataFrame. */
final class WineFrames {
  static final Path CSV = Path.of("data/wine/wine.csv");

  private WineFrames() {}

  /** The table in {@code partitions} partitions, its numeric columns as doubles and {@code class} as an int. */
  static Dataset<Row> read(SparkSession spark, int partitions) {
    if (!Files.isRegularFile(CSV)) {
      throw new IllegalStateException(CSV.toAbsolutePath() + " is missing");
    }
    return spark.read().option("header", "true").option("inferSchema", "true").csv(CSV.toString())
        .repartition(partitions).cache();
  }

  /** The 13 measurement columns. */
  static String[] features(Dataset<Row> wine) {
    return Arrays.stream(wine.columns()).filter(c -> !c.equals("class")).toArray(String[]::new);
  }
}
