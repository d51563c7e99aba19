package io.sparknn.data;

/**
 * The one exception thrown for a data file that cannot be used: missing, not an IDX file, truncated, with
 * trailing bytes, corrupt gzip, labels out of range, inconsistent with its partner file, refused for
 * overwriting, or unreadable because of an I/O failure (then the {@link #getCause() cause} is that
 * {@link java.io.IOException}). The message always starts with the file's path as the caller gave it and
 * says what was found and what was expected. It is unchecked because a bad file is a bad argument: nothing
 * in a training run can recover from it, and callers that can (a job reporting to its user) catch this one
 * type.
 */
public final class DataFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;

  /** {@code problem} completes the sentence "{@code file}: ...". */
  public DataFileException(String file, String problem) {
    this(file, problem, null);
  }

  public DataFileException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The path of the offending file (or directory), as the caller spelled it. */
  public String file() {
    return file;
  }
}
