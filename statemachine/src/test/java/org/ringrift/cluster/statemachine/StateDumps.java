package org.ringrift.cluster.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.StateStore;

/** Whole-store dumps for comparing two states key by key. */
final class StateDumps {
  private StateDumps() {}

  /**
   * Every key and value of every family but the applied position, as hex in key order, with
   * each event's log_index cleared. An event records the index of the entry whose command
   * emitted it; commands in one batch entry share that index, so this is the only byte a batch
   * changes compared with the same commands one per entry.
   */
  static Map<String, String> withoutEventIndexes(StateStore store) {
    Map<String, String> all = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    String applied = StateFixture.metaKey(org.ringrift.cluster.statemachine.store.MetaKeys.APPLIED);
    try (Batch view = store.newBatch()) {
      for (Family family : Family.values()) {
        try (Cursor cursor = view.seek(family, new byte[0])) {
          for (; cursor.valid(); cursor.next()) {
            String key = family.columnName() + "/" + hex.formatHex(cursor.key());
            byte[] value = family == Family.EVENTS ? withoutIndex(cursor.value()) : cursor.value();
            if (!key.equals(applied)) {
              all.put(key, hex.formatHex(value));
            }
          }
        }
      }
    }
    return all;
  }

  private static byte[] withoutIndex(byte[] event) {
    try {
      return Event.parseFrom(event).toBuilder().clearLogIndex().build().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt event in store", e);
    }
  }
}
