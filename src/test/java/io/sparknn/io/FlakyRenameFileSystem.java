package io.sparknn.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code flaky:}, with a rename that behaves like an object store's or
 * fails: {@code flaky.rename} = {@code false} (returns false), {@code throw} (throws), {@code copy} (copies then
 * deletes, not atomic), or {@code crash} (copies the first file, then dies as a killed process would).
 */
public class FlakyRenameFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "flaky";

  /** Thrown by the {@code crash} rename: stands for the process dying, so nothing may catch it. */
  public static final class Crash extends Error {
    Crash(String message) {
      super(message);
    }
  }

  /** A configuration that serves {@code flaky:} paths with the given rename behaviour. */
  public static Configuration conf(String rename) {
    Configuration conf = new Configuration();
    conf.set("fs." + SCHEME + ".impl", FlakyRenameFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    conf.set("flaky.rename", rename);
    return conf;
  }

  /** {@code local} as a {@code flaky:} path string. */
  public static String path(java.nio.file.Path local) {
    return SCHEME + "://" + local.toAbsolutePath();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    String mode = getConf().get("flaky.rename", "copy");
    switch (mode) {
      case "false":
        return false;
      case "throw":
        throw new IOException("simulated: rename not supported");
      case "copy":
        copy(src, dst, Integer.MAX_VALUE);
        delete(src, true);
        return true;
      case "crash":
        copy(src, dst, 1);
        throw new Crash("simulated crash while renaming " + src + " to " + dst);
      default:
        return super.rename(src, dst);
    }
  }

  /** Copies at most {@code files} regular files of directory {@code src} into a new {@code dst}. */
  private void copy(Path src, Path dst, int files) throws IOException {
    java.nio.file.Path from = pathToFile(src).toPath();
    java.nio.file.Path to = pathToFile(dst).toPath();
    Files.createDirectories(to);
    List<java.nio.file.Path> all;
    try (Stream<java.nio.file.Path> s = Files.list(from)) {
      all = s.sorted(Comparator.comparing(java.nio.file.Path::toString)).toList();
    }
    for (int i = 0; i < Math.min(files, all.size()); i++) {
      Files.copy(all.get(i), to.resolve(all.get(i).getFileName()));
    }
  }
}
