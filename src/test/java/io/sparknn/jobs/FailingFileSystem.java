package io.sparknn.jobs;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, except that writing under a path with a component named {@code failing.at} fails:
 * with an {@link IOException} (a crash-like failure) or, with {@code failing.as=bad-input}, an
 * {@link IllegalArgumentException}. Installed as {@code fs.file.impl} to fail a job part-way through.
 */
public class FailingFileSystem extends RawLocalFileSystem {
  /** Serves {@code file:} paths from {@code conf} with this file system until {@link #uninstall}. */
  public static void install(Configuration conf, String failingAt, boolean badInput) {
    conf.set("fs.file.impl", FailingFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("failing.at", failingAt);
    conf.set("failing.as", badInput ? "bad-input" : "io");
  }

  public static void uninstall(Configuration conf) {
    for (String key : new String[] {"fs.file.impl", "fs.file.impl.disable.cache", "failing.at", "failing.as"}) {
      conf.unset(key);
    }
  }

  private void check(Path p) throws IOException {
    String at = getConf().get("failing.at");
    for (Path q = p; q != null && at != null; q = q.getParent()) {
      if (q.getName().equals(at)) {
        if ("bad-input".equals(getConf().get("failing.as"))) {
          throw new IllegalArgumentException(p + ": simulated bad input");
        }
        throw new IOException(p + ": simulated failure");
      }
    }
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    check(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    check(f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    check(f);
    return super.mkdirs(f, permission);
  }

  @Override
  public boolean mkdirs(Path f) throws IOException {
    check(f);
    return super.mkdirs(f);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    check(dst);
    return super.rename(src, dst);
  }
}
