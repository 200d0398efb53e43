package org.ringrift.cluster.statemachine.store;

import java.nio.ByteBuffer;
import org.ringrift.cluster.statemachine.LogPosition;

/** Big-endian encodings, so that byte order of keys is numeric order. */
public final class Bytes {
  private Bytes() {}

  public static byte[] encodeLong(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  public static long decodeLong(byte[] bytes) {
    if (bytes.length != Long.BYTES) {
      throw new IllegalStateException("expected 8 bytes, found " + bytes.length);
    }
    return ByteBuffer.wrap(bytes).getLong();
  }

  static byte[] encodePosition(LogPosition position) {
    return ByteBuffer.allocate(2 * Long.BYTES)
        .putLong(position.term())
        .putLong(position.index())
        .array();
  }

  static LogPosition decodePosition(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new LogPosition(buffer.getLong(), buffer.getLong());
  }
}
