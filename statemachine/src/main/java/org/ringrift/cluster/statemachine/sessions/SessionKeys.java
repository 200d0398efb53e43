package org.ringrift.cluster.statemachine.sessions;

import java.nio.ByteBuffer;

/** Key layouts of the session families; big-endian so that key order is numeric order. */
final class SessionKeys {
  private SessionKeys() {}

  static byte[] session(long id) {
    return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
  }

  /** (session id, seq): a session's results are one contiguous range, in seq order. */
  static byte[] result(long id, long seq) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(id).putLong(seq).array();
  }

  /** (last_active_ms, session id): the least recently active session first. */
  static byte[] lru(long lastActiveMs, long id) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(lastActiveMs).putLong(id).array();
  }

  static long first(byte[] key) {
    return ByteBuffer.wrap(key, 0, Long.BYTES).getLong();
  }

  static long second(byte[] key) {
    return ByteBuffer.wrap(key, Long.BYTES, Long.BYTES).getLong();
  }
}
