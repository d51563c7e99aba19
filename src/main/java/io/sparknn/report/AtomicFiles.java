package io.sparknn.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Whole-file writes that are never seen half-done: the bytes go to a hidden temporary file in the target's
 * own directory, are forced to disk, and the temporary file is then renamed over the target — atomically
 * where the file system can, otherwise by a plain replacing move. A reader (or a crash) therefore sees
 * either the old file or the complete new one. Missing parent directories are created. I/O failures are
 * thrown as {@link UncheckedIOException} naming the target, and the temporary file is removed.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code target} with exactly {@code content}. */
  public static void write(Path target, byte[] content) {
    if (target == null) {
      throw new IllegalArgumentException("target path must not be null");
    }
    if (content == null) {
      throw new IllegalArgumentException("content for " + target + " must not be null");
    }
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path fileName = absolute.getFileName();
    if (dir == null || fileName == null) {
      throw new IllegalArgumentException("target " + target + " is not a file path");
    }
    Path temp = null;
    try {
      Files.createDirectories(dir);
      // Same directory as the target: a rename across file systems could not be atomic.
      // Not Files.createTempFile: it makes the file owner-only (0600), and the rename would keep that.
      temp = dir.resolve("." + fileName + "." + UUID.randomUUID() + ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // Without this a power loss after the rename can leave a renamed but empty file on some file systems.
        channel.force(true);
      }
      move(temp, absolute);
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /** Replaces {@code target} with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, String text) {
    if (text == null) {
      throw new IllegalArgumentException("text for " + target + " must not be null");
    }
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      // Some platforms refuse an atomic move onto an existing file; a replacing move is the best left.
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // The original failure is the one worth reporting; a stray ".tmp" file is harmless.
    }
  }
}
