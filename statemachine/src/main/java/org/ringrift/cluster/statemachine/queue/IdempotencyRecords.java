package org.ringrift.cluster.statemachine.queue;

import java.nio.ByteBuffer;

/** Value of the idempotency family: the item's enqueue seq and when the key stops deduplicating. */
final class IdempotencyRecords {
  private IdempotencyRecords() {}

  record Entry(long itemSeq, long expiresMs) {}

  static byte[] encode(long itemSeq, long expiresMs) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(itemSeq).putLong(expiresMs).array();
  }

  static Entry decode(byte[] raw) {
    ByteBuffer buffer = ByteBuffer.wrap(raw);
    return new Entry(buffer.getLong(), buffer.getLong());
  }
}
