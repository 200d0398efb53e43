package org.ringrift.cluster.raft;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request of {@link LeaderCalls} and its attempts, until it is answered or its deadline
 * passes (the retry rule is on {@link LeaderCalls}). Attempts never overlap: the next starts when
 * the last ended, on the timer thread.
 */
final class RaftCall {
  private static final Logger LOG = LoggerFactory.getLogger(RaftCall.class);
  private static final long FIRST_BACKOFF_MS = 10;

  private final CallTransport transport;
  private final LeaderCalls.Settings settings;
  private final ScheduledExecutorService timers;
  private final BooleanSupplier closed;
  private final Message message;
  private final boolean write;
  private final long callId;
  private final long deadlineNanos;
  final CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
  private int attempts;
  /** Some attempt reached a server that may have appended the request. */
  private boolean mayHaveReachedLeader;
  private Throwable lastError;

  RaftCall(CallTransport transport, LeaderCalls.Settings settings, ScheduledExecutorService timers,
      BooleanSupplier closed, Message message, boolean write, long callId, long deadlineNanos) {
    this.transport = transport;
    this.settings = settings;
    this.timers = timers;
    this.closed = closed;
    this.message = message;
    this.write = write;
    this.callId = callId;
    this.deadlineNanos = deadlineNanos;
  }

  void attempt() {
    long remainingNanos = deadlineNanos - System.nanoTime();
    if (closed.getAsBoolean()) {
      result.completeExceptionally(new RaftCallException(RaftCallException.Kind.CLOSED,
          "node " + transport.self() + " is shutting down", lastError));
      return;
    }
    if (remainingNanos <= 0) {
      giveUp();
      return;
    }
    attempts++;
    long attemptMs = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remainingNanos),
        settings.attemptTimeout().toMillis()));
    RaftPeerId target;
    try {
      target = transport.target(write);
    } catch (IOException e) {
      lastError = e;
      retryLater();
      return;
    }
    if (target == null) {
      lastError = new IOException("no leader known to node " + transport.self());
      retryLater();
      return;
    }
    transport.send(target, callId, message, write, attemptMs)
        .orTimeout(attemptMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> onAttempt(target, r, e));
  }

  private void onAttempt(RaftPeerId target, RaftClientReply reply, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!refusedConnection(cause)) {
        mayHaveReachedLeader = true;
      }
      transport.failed(target, cause);
      lastError = cause;
      LOG.debug("raft call attempt failed call={} attempt={} target={} error={}", callId, attempts, target,
          cause.toString());
      retryLater();
      return;
    }
    if (reply.isSuccess()) {
      result.complete(reply);
      return;
    }
    RaftException exception = reply.getException();
    if (exception instanceof ResourceUnavailableException) {
      // The leader's pending-request limit: checked before anything is appended.
      result.completeExceptionally(new RaftCallException(RaftCallException.Kind.BACKPRESSURE,
          "leader " + target + " is at its limit of pending writes", exception));
      return;
    }
    if (retriable(exception)) {
      if (!(exception instanceof LeaderNotReadyException)) {
        mayHaveReachedLeader = true;
      }
      lastError = exception;
      retryLater();
      return;
    }
    // The state machine's own failure (or a request error): a definite answer for the caller.
    result.complete(reply);
  }

  private void retryLater() {
    long backoffMs = Math.min(settings.maxRetryBackoff().toMillis(), FIRST_BACKOFF_MS << Math.min(attempts, 10));
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    try {
      timers.schedule(this::attempt, Math.max(0, Math.min(backoffMs, remainingMs)), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new RaftCallException(RaftCallException.Kind.CLOSED,
          "node " + transport.self() + " is shutting down", lastError));
    }
  }

  private void giveUp() {
    String what = (write ? "write" : "read") + " (Raft call " + callId + ", " + attempts + " attempts)";
    String last = lastError == null ? "" : ": " + lastError;
    if (write && mayHaveReachedLeader) {
      result.completeExceptionally(new RaftCallException(RaftCallException.Kind.OUTCOME_UNKNOWN,
          "no answer within " + settings.deadline().toMillis() + " ms to a " + what
              + "; it may still be applied, once" + last, lastError));
    } else {
      result.completeExceptionally(new RaftCallException(RaftCallException.Kind.NO_LEADER,
          "no leader answered a " + what + " within " + settings.deadline().toMillis() + " ms" + last, lastError));
    }
  }

  /** Errors after which the same request is sent again, to whichever node leads by then. */
  private static boolean retriable(RaftException exception) {
    return exception instanceof NotLeaderException
        || exception instanceof LeaderNotReadyException
        || exception instanceof LeaderSteppingDownException
        || exception instanceof ReadIndexException
        || exception instanceof ReadException;
  }

  /** The one failure that proves the request never reached a server: the connection was refused. */
  private static boolean refusedConnection(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}
