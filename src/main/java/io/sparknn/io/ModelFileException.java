package io.sparknn.io;

import org.apache.hadoop.fs.Path;

/** A model or checkpoint file that cannot be used; the message names the file and what was wrong. */
public final class ModelFileException extends IllegalArgumentException {
  public ModelFileException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
