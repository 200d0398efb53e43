package org.ringrift.cluster.statemachine.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.SessionRef;
import org.ringrift.cluster.statemachine.LogPosition;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/**
 * Exactly-once apply of commands that carry a client session (Raft dissertation §6.3): the result
 * of each (session, seq) is stored, so a resend answers it again and applies nothing.
 *
 * <p>In order, for a command with a {@link SessionRef}:
 * <ol>
 *   <li>a malformed ref is refused (INVALID_ARGUMENT);
 *   <li>an unknown session, or one idle past {@code idleTimeoutMs} at this command's clock, is
 *       refused with REJECT_SESSION_EXPIRED and counted (an idle one found so is removed);
 *   <li>a stored result for (session, seq) is answered as stored: a dedupe hit;
 *   <li>a seq below the session's acked_below is refused (INVALID_ARGUMENT, "session.seq");
 *   <li>a session that could not take one more result (maxResultsPerSession results, or not room
 *       for one maxResultBytesPerWrite result in maxSessionResultBytes, after this command's
 *       acknowledgement) is refused with REJECT_BACKPRESSURE, field "session";
 *   <li>otherwise the command applies as it would without a session (its own savepoint and
 *       rejection rules), and then, outside that savepoint so that a rejected command's
 *       bookkeeping survives its rollback, its result is stored (a rejection is a result too),
 *       results below the new acked_below are dropped, the session's record and LRU position
 *       move, and other sessions are evicted while all results together exceed
 *       maxSessionResultBytes.
 * </ol>
 * The refusals in steps 1, 2, 4 and 5 are not stored: a resend of the same seq may apply later.
 *
 * <p>The session's own bookkeeping never moves the state clock; its time is
 * max(state clock, command's now_ms), the clock the command applies at.
 */
public final class Sessions {
  /** Applies one command without its session: the existing per-command step. */
  @FunctionalInterface
  public interface Step {
    CommandResult apply(Batch batch, Command command, LogPosition entry);
  }

  private final SessionLimits limits;

  public Sessions(SessionLimits limits) {
    this.limits = limits;
  }

  public CommandResult apply(Batch batch, Command command, LogPosition entry, Step step) {
    Meta meta = new Meta(batch);
    try {
      return applyInSession(batch, meta, command, entry, step);
    } catch (Rejections.RejectedException refused) {
      if (refused.rejection().getCode() == RejectCode.REJECT_SESSION_EXPIRED) {
        meta.add(MetaKeys.SESSION_EXPIRED_REJECTIONS, 1);
      }
      return CommandResult.newBuilder().setRejected(refused.rejection()).build();
    }
  }

  private CommandResult applyInSession(Batch batch, Meta meta, Command command, LogPosition entry, Step step) {
    SessionCommands.checkRef(command);
    SessionRef ref = command.getSession();
    SessionStore store = new SessionStore(batch, meta);
    long nowMs = Math.max(meta.read(MetaKeys.CLOCK_MS), command.getNowMs());
    SessionInfo session = openSession(store, meta, ref.getSessionId(), nowMs);

    byte[] stored = store.result(ref.getSessionId(), ref.getSeq());
    if (stored != null) {
      // The one write of a dedupe hit: operators need to see resends happen, and a counter in
      // meta is as deterministic as the rest. The session, its results and its LRU position
      // stay as they were (a resend is not activity), so the hit changes nothing else.
      meta.add(MetaKeys.SESSION_DEDUPE_HITS, 1);
      return decode(stored);
    }
    if (ref.getSeq() < session.getAckedBelow()) {
      throw Rejections.invalid("session.seq", "seq " + ref.getSeq() + " is below the session's acked_below "
          + session.getAckedBelow() + ": its result was acknowledged and dropped, so it cannot be a resend");
    }
    long ackedBelow = Math.max(session.getAckedBelow(), ref.getAckedBelow());
    SessionStore.Results acknowledged = store.results(ref.getSessionId(), session.getAckedBelow(), ackedBelow);
    checkRoom(session, acknowledged);

    CommandResult result = step.apply(batch, command, entry);

    store.deleteResults(acknowledged);
    byte[] keep = keepable(result, ref.getSeq());
    store.putResult(ref.getSessionId(), ref.getSeq(), keep);
    SessionInfo after = session.toBuilder()
        .setLastSeq(Math.max(session.getLastSeq(), ref.getSeq()))
        .setAckedBelow(ackedBelow)
        .setLastActiveMs(Math.max(session.getLastActiveMs(), nowMs))
        .setResultsHeld(session.getResultsHeld() - acknowledged.count() + 1)
        .setResultBytes(session.getResultBytes() - acknowledged.bytes() + keep.length)
        .build();
    store.update(session, after);
    evictForBytes(store, nowMs, ref.getSessionId());
    return result;
  }

  /** The session of a command, if open; an idle-expired one is removed and refused. */
  private SessionInfo openSession(SessionStore store, Meta meta, long id, long nowMs) {
    Optional<SessionInfo> found = store.find(id);
    if (found.isEmpty()) {
      long lastId = meta.read(MetaKeys.NEXT_SESSION_ID);
      throw Rejections.sessionExpired(id > lastId
          ? "session " + id + " is not open: it was never opened (the last session opened is " + lastId + ")"
          : "session " + id + " is not open: it was closed, expired or evicted; open a new session");
    }
    SessionInfo session = found.get();
    if (idleExpired(session, nowMs, limits)) {
      store.remove(session, SessionStore.Ending.EXPIRED);
      throw Rejections.sessionExpired("session " + id + " expired: idle " + (nowMs - session.getLastActiveMs())
          + " ms, over the idle timeout of " + limits.idleTimeoutMs() + " ms (SessionLimits.idleTimeoutMs)"
          + "; open a new session");
    }
    return session;
  }

  /**
   * Refuses a write the session has no room to keep the result of. Checked before the command
   * applies, since a write whose result cannot be stored must not apply. The byte rule keeps
   * room for a full-size result, so that one session never needs more than the whole budget.
   */
  private void checkRoom(SessionInfo session, SessionStore.Results acknowledged) {
    int held = session.getResultsHeld() - acknowledged.count();
    if (held >= limits.maxResultsPerSession()) {
      throw Rejections.backpressure("session", "session " + session.getSessionId() + " holds " + held
          + " unacknowledged results, the limit (SessionLimits.maxResultsPerSession " + limits.maxResultsPerSession()
          + "): raise acked_below");
    }
    long bytes = session.getResultBytes() - acknowledged.bytes();
    if (bytes + limits.maxResultBytesPerWrite() > limits.maxSessionResultBytes()) {
      throw Rejections.backpressure("session", "session " + session.getSessionId() + " holds " + bytes
          + " bytes of unacknowledged results; one more result of up to " + limits.maxResultBytesPerWrite()
          + " bytes would pass SessionLimits.maxSessionResultBytes " + limits.maxSessionResultBytes()
          + ": raise acked_below");
    }
  }

  /**
   * The bytes to store for a result: the result itself, or, over maxResultBytesPerWrite, a
   * rejection that says it applied. A resend then learns the write happened and is never applied
   * a second time; only its result is lost.
   */
  private byte[] keepable(CommandResult result, long seq) {
    int size = result.getSerializedSize();
    if (size <= limits.maxResultBytesPerWrite()) {
      return result.toByteArray();
    }
    return CommandResult.newBuilder().setRejected(Rejection.newBuilder()
        .setCode(RejectCode.REJECT_FAILED_PRECONDITION)
        .setField("session.seq")
        .setMessage("seq " + seq + " already applied; its result (" + size + " bytes) was over the limit of "
            + limits.maxResultBytesPerWrite() + " bytes (SessionLimits.maxResultBytesPerWrite) and was not kept"))
        .build().toByteArray();
  }

  /** Evicts least recently active sessions, never the one just written, while over the byte budget. */
  private void evictForBytes(SessionStore store, long nowMs, long writtenId) {
    long over = store.totalResultBytes() - limits.maxSessionResultBytes();
    if (over <= 0) {
      return;
    }
    for (SessionInfo victim : store.oldestHolding(over, writtenId)) {
      store.remove(victim, idleExpired(victim, nowMs, limits) ? SessionStore.Ending.EXPIRED
          : SessionStore.Ending.EVICTED);
    }
  }

  /** Idle past the timeout: exactly at the timeout a session is still open. */
  static boolean idleExpired(SessionInfo session, long nowMs, SessionLimits limits) {
    return nowMs - session.getLastActiveMs() > limits.idleTimeoutMs();
  }

  private static CommandResult decode(byte[] stored) {
    try {
      return CommandResult.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt stored session result", e);
    }
  }
}
