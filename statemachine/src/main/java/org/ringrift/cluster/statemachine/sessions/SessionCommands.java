package org.ringrift.cluster.statemachine.sessions;

import org.ringrift.cluster.proto.CloseSessionRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.OpenSessionRequest;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.SessionRef;
import org.ringrift.cluster.proto.SessionResult;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** open_session and close_session, and the checks of a command's SessionRef. */
public final class SessionCommands {
  /**
   * Idle sessions removed per open_session, from the least recently active: bounded work per
   * command, and since every client opens sessions, expired ones do not pile up.
   */
  static final int EXPIRY_SWEEP = 16;

  private final SessionLimits limits;

  public SessionCommands(SessionLimits limits) {
    this.limits = limits;
  }

  public void check(OpenSessionRequest request) {
    String name = request.getClientName();
    if (name.length() > limits.maxClientNameLength()) {
      throw Rejections.invalid("client_name", "length " + name.length() + " is over the limit of "
          + limits.maxClientNameLength() + " (SessionLimits.maxClientNameLength)");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw Rejections.invalid("client_name", "must not contain control characters");
      }
    }
  }

  public void check(CloseSessionRequest request) {
    if (request.getSessionId() <= 0) {
      throw Rejections.invalid("session_id", request.getSessionId() + " is not a session id (ids start at 1)");
    }
  }

  /**
   * The checks of a command's session that need no state: run at the API edge and again before
   * the session is looked up at apply.
   */
  public static void checkRef(Command command) {
    if (!command.hasSession()) {
      return;
    }
    switch (command.getBodyCase()) {
      case OPEN_SESSION, CLOSE_SESSION -> throw Rejections.invalid("session",
          command.getBodyCase().name().toLowerCase(java.util.Locale.ROOT) + " cannot carry a session");
      case BATCH -> throw Rejections.invalid("session",
          "a batch entry cannot carry a session: each command in it carries its own");
      default -> { }
    }
    SessionRef ref = command.getSession();
    if (ref.getSessionId() <= 0) {
      throw Rejections.invalid("session.session_id", ref.getSessionId() + " is not a session id (ids start at 1)");
    }
    if (ref.getSeq() < 1) {
      throw Rejections.invalid("session.seq", ref.getSeq() + " is not a seq (seqs start at 1)");
    }
    if (ref.getAckedBelow() < 0 || ref.getAckedBelow() > ref.getSeq()) {
      throw Rejections.invalid("session.acked_below", ref.getAckedBelow() + " is out of range 0-" + ref.getSeq()
          + " (at most the command's own seq)");
    }
  }

  /**
   * Removes up to {@link #EXPIRY_SWEEP} idle-expired sessions, evicts the least recently active
   * session if {@code maxSessions} are open, then opens a new one with the next id.
   */
  public SessionResult open(ApplyContext ctx, OpenSessionRequest request) {
    SessionStore store = new SessionStore(ctx.batch(), ctx.meta());
    for (SessionInfo idle : store.leastRecentlyActive(EXPIRY_SWEEP, 0)) {
      if (!Sessions.idleExpired(idle, ctx.nowMs(), limits)) {
        break;
      }
      store.remove(idle, SessionStore.Ending.EXPIRED);
    }
    if (store.openCount() >= limits.maxSessions()) {
      for (SessionInfo oldest : store.leastRecentlyActive(1, 0)) {
        store.remove(oldest, Sessions.idleExpired(oldest, ctx.nowMs(), limits)
            ? SessionStore.Ending.EXPIRED : SessionStore.Ending.EVICTED);
      }
    }
    long id = ctx.meta().next(MetaKeys.NEXT_SESSION_ID);
    store.create(SessionInfo.newBuilder()
        .setSessionId(id)
        .setClientName(request.getClientName())
        .setOpenedMs(ctx.nowMs())
        .setLastActiveMs(ctx.nowMs())
        .build());
    return SessionResult.newBuilder().setSessionId(id).build();
  }

  /** Ends a session and drops its results; an unknown session is not an error (idempotent). */
  public SessionResult close(ApplyContext ctx, CloseSessionRequest request) {
    SessionStore store = new SessionStore(ctx.batch(), ctx.meta());
    var session = store.find(request.getSessionId());
    session.ifPresent(open -> store.remove(open, SessionStore.Ending.CLOSED));
    return SessionResult.newBuilder().setSessionId(request.getSessionId()).setWasOpen(session.isPresent()).build();
  }
}
