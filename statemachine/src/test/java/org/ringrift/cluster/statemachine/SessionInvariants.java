package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * The session families agree with each other, recomputed from the raw store: every record's held
 * count and bytes are its stored results, every record has exactly its one LRU key, nothing is
 * stored below a session's acked_below, and the meta totals are the sums.
 */
final class SessionInvariants {
  private SessionInvariants() {}

  static void check(StateStore store) {
    try (Batch view = store.newBatch()) {
      Map<Long, SessionInfo> sessions = new TreeMap<>();
      try (Cursor cursor = view.seek(Family.SESSIONS, new byte[0])) {
        for (; cursor.valid(); cursor.next()) {
          sessions.put(Bytes.decodeLong(cursor.key()), parse(cursor.value()));
        }
      }
      Map<Long, long[]> held = new HashMap<>(); // id -> {count, bytes}
      try (Cursor cursor = view.seek(Family.SESSION_RESULTS, new byte[0])) {
        for (; cursor.valid(); cursor.next()) {
          ByteBuffer key = ByteBuffer.wrap(cursor.key());
          long id = key.getLong();
          long seq = key.getLong();
          assertThat(sessions).as("result (%d, %d) of a session with no record", id, seq).containsKey(id);
          assertThat(seq).as("result (%d, %d) below acked_below", id, seq)
              .isGreaterThanOrEqualTo(sessions.get(id).getAckedBelow());
          long[] sums = held.computeIfAbsent(id, k -> new long[2]);
          sums[0]++;
          sums[1] += cursor.value().length;
        }
      }
      Map<Long, Long> lru = new HashMap<>();
      try (Cursor cursor = view.seek(Family.SESSION_LRU, new byte[0])) {
        for (; cursor.valid(); cursor.next()) {
          ByteBuffer key = ByteBuffer.wrap(cursor.key());
          long lastActive = key.getLong();
          assertThat(lru.put(key.getLong(), lastActive)).as("one LRU key per session").isNull();
        }
      }
      long totalBytes = 0;
      for (SessionInfo session : sessions.values()) {
        long[] sums = held.getOrDefault(session.getSessionId(), new long[2]);
        assertThat(session.getResultsHeld()).as("results held by %s", session).isEqualTo(sums[0]);
        assertThat(session.getResultBytes()).as("result bytes of %s", session).isEqualTo(sums[1]);
        assertThat(lru.get(session.getSessionId())).as("LRU key of %s", session).isEqualTo(session.getLastActiveMs());
        totalBytes += sums[1];
      }
      assertThat(lru).hasSameSizeAs(sessions);
      Meta meta = new Meta(view);
      assertThat(meta.read(MetaKeys.SESSIONS_OPEN)).isEqualTo(sessions.size());
      assertThat(meta.read(MetaKeys.SESSION_RESULT_BYTES)).isEqualTo(totalBytes);
    }
  }

  private static SessionInfo parse(byte[] raw) {
    try {
      return SessionInfo.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("corrupt session record", e);
    }
  }
}
