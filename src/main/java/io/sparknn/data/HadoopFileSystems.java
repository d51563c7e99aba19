package io.sparknn.data;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Resolves a path string to the Hadoop {@link FileSystem} that serves it ({@code file:}, {@code hdfs:},
 * {@code s3a:}, …; a path without a scheme is resolved against {@code fs.defaultFS}, the local file system
 * unless configured otherwise). The local file system is used raw. Data, model files and checkpoints all go
 * through here.
 */
public final class HadoopFileSystems {
  private HadoopFileSystems() {}

  public static Path path(String path) {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    try {
      return new Path(path);
    } catch (IllegalArgumentException e) {
      throw new DataFileException(path, "is not a valid path: " + e.getMessage(), e);
    }
  }

  public static FileSystem of(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    // The checksummed local wrapper would leave a ".crc" file beside everything we write and would reject a
    // data file later replaced by a tool that does not know about those side files.
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }
}
