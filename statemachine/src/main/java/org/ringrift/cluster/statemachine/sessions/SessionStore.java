package org.ringrift.cluster.statemachine.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/**
 * The session families, kept in step: a record in {@code sessions}, its key in
 * {@code session_lru}, its results in {@code session_results}, and the open count and total
 * result bytes in meta. Every write goes through here so the four never disagree.
 */
final class SessionStore {
  /** Why a session ended; each has its own counter. */
  enum Ending {
    CLOSED(MetaKeys.SESSIONS_CLOSED),
    EXPIRED(MetaKeys.SESSIONS_EXPIRED),
    EVICTED(MetaKeys.SESSIONS_EVICTED);

    private final byte[] counter;

    Ending(byte[] counter) {
      this.counter = counter;
    }
  }

  /** Stored results in a range of seqs, found before deciding whether to drop them. */
  record Results(List<byte[]> keys, long bytes) {
    int count() {
      return keys.size();
    }
  }

  private final Batch batch;
  private final Meta meta;

  SessionStore(Batch batch, Meta meta) {
    this.batch = batch;
    this.meta = meta;
  }

  Optional<SessionInfo> find(long id) {
    byte[] raw = batch.get(Family.SESSIONS, SessionKeys.session(id));
    return raw == null ? Optional.empty() : Optional.of(decode(raw));
  }

  long openCount() {
    return meta.read(MetaKeys.SESSIONS_OPEN);
  }

  long totalResultBytes() {
    return meta.read(MetaKeys.SESSION_RESULT_BYTES);
  }

  void create(SessionInfo session) {
    batch.put(Family.SESSIONS, SessionKeys.session(session.getSessionId()), session.toByteArray());
    batch.put(Family.SESSION_LRU, SessionKeys.lru(session.getLastActiveMs(), session.getSessionId()), new byte[0]);
    meta.add(MetaKeys.SESSIONS_OPEN, 1);
  }

  /** Rewrites a session's record and moves its LRU key; its result bytes go to the meta total. */
  void update(SessionInfo before, SessionInfo after) {
    long id = before.getSessionId();
    batch.put(Family.SESSIONS, SessionKeys.session(id), after.toByteArray());
    if (before.getLastActiveMs() != after.getLastActiveMs()) {
      batch.delete(Family.SESSION_LRU, SessionKeys.lru(before.getLastActiveMs(), id));
      batch.put(Family.SESSION_LRU, SessionKeys.lru(after.getLastActiveMs(), id), new byte[0]);
    }
    long delta = after.getResultBytes() - before.getResultBytes();
    if (delta != 0) {
      meta.add(MetaKeys.SESSION_RESULT_BYTES, delta);
    }
  }

  /** The stored result of (id, seq), serialized, or null. */
  byte[] result(long id, long seq) {
    return batch.get(Family.SESSION_RESULTS, SessionKeys.result(id, seq));
  }

  void putResult(long id, long seq, byte[] result) {
    batch.put(Family.SESSION_RESULTS, SessionKeys.result(id, seq), result);
  }

  /** The stored results of session {@code id} with seq in [fromSeq, belowSeq). */
  Results results(long id, long fromSeq, long belowSeq) {
    List<byte[]> keys = new ArrayList<>();
    long bytes = 0;
    if (fromSeq >= belowSeq) {
      return new Results(keys, 0);
    }
    byte[] end = SessionKeys.result(id, belowSeq);
    try (Cursor cursor = batch.seek(Family.SESSION_RESULTS, SessionKeys.result(id, fromSeq), end)) {
      for (; cursor.valid(); cursor.next()) {
        keys.add(cursor.key());
        bytes += cursor.value().length;
      }
    }
    return new Results(keys, bytes);
  }

  void deleteResults(Results results) {
    for (byte[] key : results.keys()) {
      batch.delete(Family.SESSION_RESULTS, key);
    }
  }

  /** Deletes a session, its LRU key and all its results, and counts why it ended. */
  void remove(SessionInfo session, Ending why) {
    long id = session.getSessionId();
    deleteResults(results(id, 0, Long.MAX_VALUE));
    batch.delete(Family.SESSION_LRU, SessionKeys.lru(session.getLastActiveMs(), id));
    batch.delete(Family.SESSIONS, SessionKeys.session(id));
    meta.add(MetaKeys.SESSIONS_OPEN, -1);
    if (session.getResultBytes() != 0) {
      meta.add(MetaKeys.SESSION_RESULT_BYTES, -session.getResultBytes());
    }
    meta.add(why.counter, 1);
  }

  /**
   * Up to {@code max} sessions, least recently active first, skipping {@code skipId}. Read into a
   * list first: the families are not written while a cursor over them is open.
   */
  List<SessionInfo> leastRecentlyActive(int max, long skipId) {
    List<SessionInfo> sessions = new ArrayList<>();
    try (Cursor cursor = batch.seek(Family.SESSION_LRU, new byte[0])) {
      for (; cursor.valid() && sessions.size() < max; cursor.next()) {
        long id = SessionKeys.second(cursor.key());
        if (id != skipId) {
          sessions.add(find(id).orElseThrow(() -> new IllegalStateException(
              "session_lru names session " + id + " that has no record")));
        }
      }
    }
    return sessions;
  }

  /**
   * The least recently active sessions, skipping {@code skipId} and sessions that hold nothing,
   * until together they hold at least {@code bytes} (or every candidate, if they do not).
   */
  List<SessionInfo> oldestHolding(long bytes, long skipId) {
    List<SessionInfo> sessions = new ArrayList<>();
    long held = 0;
    try (Cursor cursor = batch.seek(Family.SESSION_LRU, new byte[0])) {
      for (; cursor.valid() && held < bytes; cursor.next()) {
        long id = SessionKeys.second(cursor.key());
        SessionInfo session = find(id).orElseThrow(() -> new IllegalStateException(
            "session_lru names session " + id + " that has no record"));
        if (id != skipId && session.getResultBytes() > 0) {
          sessions.add(session);
          held += session.getResultBytes();
        }
      }
    }
    return sessions;
  }

  static SessionInfo decode(byte[] raw) {
    try {
      return SessionInfo.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt session record in store", e);
    }
  }
}
