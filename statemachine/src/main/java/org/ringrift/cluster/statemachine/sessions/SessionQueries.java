package org.ringrift.cluster.statemachine.sessions;

import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Read-only view of the client sessions and their counters. */
public final class SessionQueries {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private SessionQueries() {}

  /** Open sessions by id after {@code after_session_id}, with every session counter. */
  public static ListSessionsResult list(Batch view, ListSessionsRequest request) {
    int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : request.getLimit();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Rejections.invalid("limit", limit + " is out of range 1-" + MAX_LIMIT);
    }
    if (request.getAfterSessionId() < 0) {
      throw Rejections.invalid("after_session_id", request.getAfterSessionId() + " is negative");
    }
    Meta meta = new Meta(view);
    ListSessionsResult.Builder result = ListSessionsResult.newBuilder()
        .setOpen(meta.read(MetaKeys.SESSIONS_OPEN))
        .setDedupeHits(meta.read(MetaKeys.SESSION_DEDUPE_HITS))
        .setEvicted(meta.read(MetaKeys.SESSIONS_EVICTED))
        .setExpired(meta.read(MetaKeys.SESSIONS_EXPIRED))
        .setResultBytes(meta.read(MetaKeys.SESSION_RESULT_BYTES))
        .setRejectedExpired(meta.read(MetaKeys.SESSION_EXPIRED_REJECTIONS))
        .setClosed(meta.read(MetaKeys.SESSIONS_CLOSED));
    if (request.getAfterSessionId() == Long.MAX_VALUE) {
      return result.build();
    }
    try (Cursor cursor = view.seek(Family.SESSIONS, SessionKeys.session(request.getAfterSessionId() + 1))) {
      for (; cursor.valid(); cursor.next()) {
        if (result.getSessionsCount() == limit) {
          result.setNextAfterSessionId(result.getSessions(limit - 1).getSessionId());
          break;
        }
        result.addSessions(SessionStore.decode(cursor.value()));
      }
    }
    return result.build();
  }
}
