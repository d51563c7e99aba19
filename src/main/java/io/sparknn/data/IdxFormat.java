package io.sparknn.data;

import java.util.Arrays;

/**
 * The IDX layout shared by {@link IdxReader} and {@link IdxWriter}: a big-endian int32 magic number
 * {@code 0x0000TTDD} (type {@code TT}, {@code DD} dimensions), one big-endian int32 per dimension, then the
 * values. Only unsigned bytes are supported: images {@code 0x00000803} [count, rows, cols] and labels
 * {@code 0x00000801} [count].
 */
final class IdxFormat {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;
  /** The largest array most JVMs will allocate. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private IdxFormat() {}

  static int dimensions(int magic) {
    return magic & 0xFF;
  }

  static long headerBytes(int magic) {
    return 4L + 4L * dimensions(magic);
  }

  static String[] dimensionNames(int magic) {
    return magic == IMAGES_MAGIC ? new String[] {"count", "rows", "cols"} : new String[] {"count"};
  }

  /** What a magic number means, for error messages: both the found and the expected one get described. */
  static String describe(int magic) {
    String hex = String.format("0x%08X", magic);
    if (magic == IMAGES_MAGIC) {
      return hex + " (uint8 images [count, rows, cols])";
    }
    if (magic == LABELS_MAGIC) {
      return hex + " (uint8 labels [count])";
    }
    if ((magic >>> 16) != 0) {
      return hex + " (not an IDX file: its first two bytes must be zero)";
    }
    int dims = dimensions(magic);
    return hex + " (IDX " + typeName((magic >>> 8) & 0xFF) + ", " + dims + (dims == 1 ? " dimension)" : " dimensions)");
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0x08 -> "uint8";
      case 0x09 -> "int8";
      case 0x0B -> "int16";
      case 0x0C -> "int32";
      case 0x0D -> "float32";
      case 0x0E -> "float64";
      default -> String.format("unknown type 0x%02X", type);
    };
  }

  /**
   * The number of value bytes that {@code dims} announce, after checking every size is positive and the
   * total fits in one Java array; throws {@link DataFileException} naming {@code file} otherwise. Multiplies
   * step by step so that three large ints cannot overflow a long.
   */
  static long dataBytes(String file, int magic, int[] dims) {
    String[] names = dimensionNames(magic);
    if (dims[0] <= 0) {
      throw new DataFileException(file, "header says it holds " + dims[0]
          + (magic == IMAGES_MAGIC ? " images" : " labels") + "; expected at least one");
    }
    long total = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] <= 0) {
        throw new DataFileException(file, "header " + Arrays.toString(dims) + " has " + names[i] + " = " + dims[i]
            + "; expected a positive size");
      }
      total *= dims[i];
      if (total > MAX_ARRAY) {
        throw new DataFileException(file, "header " + Arrays.toString(dims) + " claims more than " + MAX_ARRAY
            + " bytes; expected at most " + MAX_ARRAY + " (the largest Java array)");
      }
    }
    return total;
  }
}
