package io.sparknn.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Loads MNIST-style data (uint8 IDX images plus labels, raw or gzip) into {@link Dataset}s, features scaled
 * to [0, 1]. {@link #trainAndTest} reads the four standard file names from one directory on any Hadoop file
 * system; {@link #defaultDir} finds the copy embedded in the project. The same code reads Fashion-MNIST,
 * which uses the same names. Errors are {@link DataFileException}s naming the files involved.
 */
public final class MnistFiles {
  /** Digits 0–9. */
  public static final int CLASSES = 10;
  /** System property that overrides {@link #defaultDir()}; it wins over {@link #DIR_ENV}. */
  public static final String DIR_PROPERTY = "sparknn.data";
  /** Environment variable that overrides {@link #defaultDir()} when {@link #DIR_PROPERTY} is unset. */
  public static final String DIR_ENV = "SPARKNN_DATA";

  private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private MnistFiles() {}

  /** One image file and its label file as a data set of {@code count × rows·cols}, default configuration. */
  public static Dataset load(String imagesPath, String labelsPath, int classes) {
    return load(imagesPath, labelsPath, classes, new Configuration());
  }

  /** One image file and its label file as a data set of {@code count × rows·cols}, using {@code conf}. */
  public static Dataset load(String imagesPath, String labelsPath, int classes, Configuration conf) {
    // Labels first: they are small and fail fast on a bad class count before megabytes of pixels are read.
    byte[] labels = IdxReader.readLabels(labelsPath, classes, conf);
    IdxImages images = IdxReader.readImages(imagesPath, conf);
    if (images.count() != labels.length) {
      throw new DataFileException(imagesPath, "holds " + images.count() + " images but " + labelsPath + " holds "
          + labels.length + " labels; expected one label per image");
    }
    return Dataset.ofBytes(images.pixels(), labels, images.count(), images.pixelsPerImage(), classes);
  }

  /** {@code {train, test}} from the standard MNIST names in {@code dir}, default configuration. */
  public static Dataset[] trainAndTest(String dir) {
    return trainAndTest(dir, new Configuration());
  }

  /**
   * {@code {train, test}} from {@code dir}, which must hold {@code train-images-idx3-ubyte},
   * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each
   * with or without a {@code .gz} suffix; when both spellings exist the uncompressed one is read, being
   * faster. All four are located before any is read, so a missing one fails at once.
   */
  public static Dataset[] trainAndTest(String dir, Configuration conf) {
    String[] files = paths(dir, conf);
    String trainImages = files[0];
    String trainLabels = files[1];
    String testImages = files[2];
    String testLabels = files[3];
    Dataset train = load(trainImages, trainLabels, CLASSES, conf);
    Dataset test = load(testImages, testLabels, CLASSES, conf);
    if (test.cols() != train.cols()) {
      throw new DataFileException(testImages, "holds images of " + test.cols() + " pixels, but the training images "
          + trainImages + " have " + train.cols() + "; expected test images of the training images' shape");
    }
    return new Dataset[] {train, test};
  }

  /**
   * The paths of the four files in {@code dir}, {@code {train images, train labels, test images, test labels}},
   * each with or without {@code .gz} as {@link #trainAndTest} finds them, without reading them.
   */
  public static String[] paths(String dir, Configuration conf) {
    return new String[] {locate(dir, TRAIN_IMAGES, "training images", conf),
        locate(dir, TRAIN_LABELS, "training labels", conf), locate(dir, TEST_IMAGES, "test images", conf),
        locate(dir, TEST_LABELS, "test labels", conf)};
  }

  /**
   * The MNIST directory to use when none is given: the value of the system property {@value #DIR_PROPERTY}
   * if set, else of the environment variable {@value #DIR_ENV} if set (either may be any Hadoop path, e.g.
   * {@code hdfs://namenode/data/mnist}, and names the directory holding the four files), else
   * {@code data/mnist} under the working directory as a {@code file:} URI — explicitly local, so that a
   * cluster whose {@code fs.defaultFS} is HDFS still finds the embedded copy on the driver.
   */
  public static String defaultDir() {
    String property = System.getProperty(DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return property;
    }
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isBlank()) {
      return env;
    }
    return Paths.get("data", "mnist").toAbsolutePath().toUri().toString();
  }

  private static String locate(String dir, String name, String what, Configuration conf) {
    Path plain = new Path(HadoopFileSystems.path(dir), name);
    Path gzip = new Path(HadoopFileSystems.path(dir), name + ".gz");
    try {
      FileSystem fs = HadoopFileSystems.of(plain, conf);
      if (isFile(fs, plain)) {
        return plain.toString();
      }
      if (isFile(fs, gzip)) {
        return gzip.toString();
      }
    } catch (IOException e) {
      throw new DataFileException(dir, "could not be listed: " + e, e);
    }
    throw new DataFileException(dir, "has no " + what + ": looked for " + plain + " and " + gzip
        + "; expected one of them (give the directory as key 'data.dir', or set -D" + DIR_PROPERTY + " or "
        + DIR_ENV + " to change the default)");
  }

  private static boolean isFile(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path).isFile();
    } catch (FileNotFoundException e) {
      return false;
    }
  }
}
