package io.sparknn.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * How a directory of files (a model, a checkpoint) written through Hadoop's {@code FileSystem} becomes complete:
 * the files are written and synced into a hidden temporary sibling, which is renamed into place; where the
 * rename fails (returns false or throws) they are written straight into place instead; and the marker file
 * {@code _COMPLETE} is written last, into the final directory. Readers trust a directory only when the marker is
 * there, so neither a rename that is a copy then a delete (S3A, GCS) nor a crash at any point leaves something
 * that looks complete.
 */
final class DirectoryCommit {
  /** Written last: a directory without it is incomplete. */
  static final String MARKER = "_COMPLETE";

  /** Writes a directory's files into {@code dir}, which exists and is empty; may be called a second time. */
  interface Contents {
    void writeInto(FileSystem fs, Path dir) throws IOException;
  }

  private DirectoryCommit() {}

  /** Writes {@code contents} to {@code target}, which must not exist, through {@code tmp}, then marks it. */
  static void commit(FileSystem fs, Path target, Path tmp, Contents contents) throws IOException {
    try {
      fs.mkdirs(tmp);
      contents.writeInto(fs, tmp);
      if (!renamed(fs, tmp, target)) {
        // Whatever a failed rename left at the target (part of a copy) is replaced by a direct write.
        fs.delete(target, true);
        fs.mkdirs(target);
        contents.writeInto(fs, target);
        fs.delete(tmp, true);
      }
      mark(fs, target);
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(tmp, true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static boolean renamed(FileSystem fs, Path tmp, Path target) {
    try {
      return fs.rename(tmp, target);
    } catch (IOException e) {
      return false;
    }
  }

  private static void mark(FileSystem fs, Path dir) throws IOException {
    try (FSDataOutputStream out = fs.create(new Path(dir, MARKER), true)) {
      out.write((Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
      sync(out);
    }
  }

  /** Whether {@code dir} holds the marker. */
  static boolean marked(FileSystem fs, Path dir) throws IOException {
    return fs.exists(new Path(dir, MARKER));
  }

  /**
   * Pushes what was written to {@code out} to durable storage where the stream can (HDFS, the local file
   * system), so the marker is never on disk before the data; object-store streams upload on close.
   */
  static void sync(FSDataOutputStream out) throws IOException {
    if (out.hasCapability(StreamCapabilities.HSYNC)) {
      out.hsync();
    } else if (out.hasCapability(StreamCapabilities.HFLUSH)) {
      out.hflush();
    }
  }

  /**
   * Whether {@code dir} holds nothing but files named in {@code ours}: what an interrupted write of ours
   * leaves, and so safe to delete.
   */
  static boolean onlyOurFiles(FileSystem fs, Path dir, Set<String> ours) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isFile() || !ours.contains(s.getPath().getName())) {
        return false;
      }
    }
    return true;
  }

  /** Deletes the children of {@code parent} whose names start with {@code prefix} (crashed writes' temporaries). */
  static void removeTemporaries(FileSystem fs, Path parent, String prefix) throws IOException {
    if (!fs.exists(parent)) {
      return;
    }
    for (FileStatus s : fs.listStatus(parent)) {
      if (s.getPath().getName().startsWith(prefix)) {
        System.err.println("sparknn: removing " + s.getPath() + ", left by an interrupted write");
        fs.delete(s.getPath(), true);
      }
    }
  }
}
