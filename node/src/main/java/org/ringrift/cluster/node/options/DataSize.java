package org.ringrift.cluster.node.options;

/** A size in bytes from the command line: {@code 8388608}, {@code 64MiB}, {@code 16KiB}. */
public record DataSize(long bytes) {
  public static DataSize ofMebibytes(long mebibytes) {
    return new DataSize(mebibytes << 20);
  }

  /** Whole mebibytes, rounded down. */
  public long mebibytes() {
    return bytes >> 20;
  }

  /** The size as an int for a limit that must fit one, else an error naming {@code flag}. */
  public int intBytes(String flag) {
    if (bytes > Integer.MAX_VALUE || bytes < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(flag + " " + bytes + " is above the maximum " + Integer.MAX_VALUE + " bytes");
    }
    return (int) bytes;
  }

  @Override
  public String toString() {
    return bytes + "B";
  }
}
