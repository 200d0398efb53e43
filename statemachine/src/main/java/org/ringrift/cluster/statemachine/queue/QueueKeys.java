package org.ringrift.cluster.statemachine.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.ringrift.cluster.proto.WorkType;

/** Key layouts of the queue families; big-endian so that key order is claim order. */
final class QueueKeys {
  static final int MAX_PRIORITY = 100;

  private QueueKeys() {}

  static byte[] item(long seq) {
    return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
  }

  /** (type, priority descending, enqueue seq). */
  static byte[] ready(WorkType type, int priority, long seq) {
    return ByteBuffer.allocate(2 + Long.BYTES)
        .put((byte) type.getNumber())
        .put((byte) (MAX_PRIORITY - priority))
        .putLong(seq)
        .array();
  }

  static byte[] readyPrefix(WorkType type) {
    return new byte[] {(byte) type.getNumber()};
  }

  static long readySeq(byte[] readyKey) {
    return ByteBuffer.wrap(readyKey, 2, Long.BYTES).getLong();
  }

  static int readyPriority(byte[] readyKey) {
    return MAX_PRIORITY - readyKey[1];
  }

  /** (lease expiry, enqueue seq): what the reaper scans in expiry order. */
  static byte[] lease(long expiresMs, long seq) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(expiresMs).putLong(seq).array();
  }

  /** (finished_ms, seq) of a terminal item. */
  static byte[] terminal(long finishedMs, long seq) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(finishedMs).putLong(seq).array();
  }

  static long secondLong(byte[] key) {
    return ByteBuffer.wrap(key, Long.BYTES, Long.BYTES).getLong();
  }

  static long firstLong(byte[] key) {
    return ByteBuffer.wrap(key, 0, Long.BYTES).getLong();
  }

  static byte[] idempotency(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
