package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.Endpoint;

import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.ringrift.cluster.proto.AdminServiceGrpc.AdminServiceBlockingStub;
import org.ringrift.cluster.proto.CloseSessionRequest;
import org.ringrift.cluster.proto.OpenSessionRequest;

/**
 * Writes exactly once: each carries this client's session and the next sequence number, and is
 * sent again with the same number, to the same or another node, until it is answered or the
 * deadline passes; the cluster applies it once and answers a resend with the first result.
 */
final class SessionWrites {
  /** How long close() gives the cluster to end this client's session. */
  static final long SESSION_CLOSE_MS = 1_000;

  private final LeaderCalls calls;
  /** The name this client's session is listed under; null: no session, writes at most once. */
  private final String clientName;
  private final AtomicReference<ClientSession> session = new AtomicReference<>();

  SessionWrites(LeaderCalls calls, String clientName) {
    this.calls = calls;
    this.clientName = clientName;
  }

  /** How a client's session is listed when its creator gives no name. */
  static String defaultClientName() {
    return "java-client@" + ProcessHandle.current().pid();
  }

  /** A session the cluster no longer knows before the write can have applied is replaced once. */
  <T> T write(Function<AdminServiceBlockingStub, T> rpc) {
    if (clientName == null) {
      return calls.call(Delivery.AT_MOST_ONCE, true, rpc);
    }
    Deadline deadline = Deadline.after(calls.timeout().toMillis(), TimeUnit.MILLISECONDS);
    for (int opened = 0; ; opened++) {
      ClientSession current = session(deadline);
      long seq = current.begin();
      try {
        return sessionWrite(current, seq, deadline, rpc);
      } catch (SessionGone gone) {
        session.compareAndSet(current, null);
        if (opened >= 1) {
          throw gone.failure;
        }
      } finally {
        current.finish(seq);
      }
    }
  }

  /** The session's write was refused because the cluster no longer knows the session; nothing was applied. */
  private static final class SessionGone extends RuntimeException {
    final ClusterException failure;

    SessionGone(ClusterException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  /** Opens this client's session now, if it has none (the first write does it otherwise); returns its id. */
  long openSession() {
    return session(Deadline.after(calls.timeout().toMillis(), TimeUnit.MILLISECONDS)).id();
  }

  private ClientSession session(Deadline deadline) {
    ClientSession current = session.get();
    if (current != null) {
      return current;
    }
    synchronized (session) {
      current = session.get();
      if (current == null) {
        // Opening is not deduplicated: an answer lost here leaves an unused session that expires.
        long id = calls.call(Delivery.REPEATABLE, true, stub -> stub.openSession(
            OpenSessionRequest.newBuilder().setClientName(clientName).build())).getSessionId();
        current = new ClientSession(id);
        session.set(current);
      }
      return current;
    }
  }

  private <T> T sessionWrite(ClientSession current, long seq, Deadline deadline,
      Function<AdminServiceBlockingStub, T> rpc) {
    List<String> failures = new ArrayList<>();
    boolean mayHaveApplied = false;
    int attempts = 0;
    RoundPauses pauses = new RoundPauses();
    while (!deadline.isExpired()) {
      List<Endpoint> order = calls.callOrder(calls.followsLeader());
      for (Endpoint endpoint : order) {
        if (deadline.isExpired()) {
          break;
        }
        attempts++;
        try {
          // Resending is safe (same session and seq), so no attempt waits out the whole deadline.
          T result = rpc.apply(calls.stub(endpoint, calls.attemptDeadline(deadline, Math.max(2, order.size())))
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(current.headers(seq))));
          calls.answered(endpoint);
          return result;
        } catch (StatusRuntimeException e) {
          ClusterException failure = CallFailures.translate(e, endpoint);
          if (failure.kind() == ErrorKind.SESSION_EXPIRED) {
            if (!mayHaveApplied) {
              throw new SessionGone(failure);
            }
            throw new ClusterException(ErrorKind.UNAVAILABLE, "outcome unknown: session " + current.id()
                + " expired while write " + seq + " was being sent again; it may have been applied once: "
                + failure.getMessage(), e);
          }
          if (failure.kind() != ErrorKind.UNAVAILABLE) {
            throw failure;
          }
          mayHaveApplied |= !Delivery.neverSent(e);
          calls.forget(endpoint);
          failures.add(failure.getMessage());
        }
      }
      if (!pauses.awaitNextRound(deadline)) {
        break;
      }
      calls.reconnectNow();
    }
    long timeoutMs = calls.timeout().toMillis();
    String recent = String.join("; ", failures.subList(Math.max(0, failures.size() - 3), failures.size()));
    if (mayHaveApplied) {
      throw new ClusterException(ErrorKind.UNAVAILABLE, "outcome unknown: no answer within " + timeoutMs
          + " ms after " + attempts + " attempts; the write may still be applied, exactly once (session "
          + current.id() + ", seq " + seq + "): " + recent);
    }
    throw new ClusterException(ErrorKind.UNAVAILABLE, "cluster unavailable within " + timeoutMs
        + " ms: " + (failures.isEmpty() ? "deadline expired" : recent));
  }

  /** Ends this client's session on the cluster, if it opened one (best effort: otherwise it expires when idle). */
  void close() {
    ClientSession open = session.getAndSet(null);
    if (open != null) {
      try {
        calls.call(Delivery.REPEATABLE, true, stub -> stub.withDeadlineAfter(SESSION_CLOSE_MS, TimeUnit.MILLISECONDS)
            .closeSession(CloseSessionRequest.newBuilder().setSessionId(open.id()).build()));
      } catch (ClusterException notClosed) {
        // It expires after its idle timeout instead.
      }
    }
  }
}
