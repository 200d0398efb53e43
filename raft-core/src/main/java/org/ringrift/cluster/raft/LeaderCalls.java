package org.ringrift.cluster.raft;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.rpc.CallId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's Raft requests (its own daemons' proposals and the admin API's writes and
 * reads) to the group, each on its own: on the leader straight into the local Raft server, on a
 * follower as one call to the leader. No request shares a window, a stream or a session with
 * another, so no failure of one request can disable the next.
 *
 * <p>Why not a Ratis {@code RaftClient}: its ordered async API keeps one sliding window per
 * target. A request that runs out of retries (or fails with a non-IO error) fails that window
 * for good ({@code SlidingWindow.Client.fail} stores the exception), and every later write
 * through the client fails with {@code AlreadyClosedException: ...->RAFT is closed}; nothing
 * reopens it. Its async gRPC streams ({@code GrpcClientProtocolClient.AsyncStreamObservers})
 * likewise fail every pending call and close on one NotLeader reply or stream error, until the
 * proxy is reset. A node cut off from the others for longer than its client's retry budget
 * therefore never took a write again (issue 23). Here a remote call is one blocking unary Ratis
 * call on its own gRPC stream: its failure fails that attempt only, and the channel under it
 * reconnects by itself. The blocking admin API (configuration, leader transfer, snapshots) that
 * {@link RaftNode} still sends through a {@code RaftClient} is of the same kind.
 *
 * <p>Threads: an attempt is made on the caller's thread (never inside a Ratis callback: callers
 * must not call in from one), resends on this class's timer thread; a reply completes on whatever
 * Ratis thread answered, so what runs after it must not block or call into Ratis.
 *
 * <p>The retry rule, stated once: every attempt of a request carries the same client id and call
 * id, so Ratis' retry cache answers a resend of a request a leader already has (pending or
 * applied) with that request's reply instead of appending it again. That holds across a leader
 * change: every server adds applied entries to its retry cache, and a new leader takes requests
 * only once ready, that is after applying every entry of earlier terms. So a request is resent,
 * to whichever node leads now, until it is answered or its deadline passes. A step-down between
 * append and reply answers the pending request with NotLeader; the resend then finds it in the
 * new leader's cache if the entry survived, or appends it once if it did not. What is left
 * ambiguous: a deadline that passes after some attempt reached a leader ({@link
 * RaftCallException.Kind#OUTCOME_UNKNOWN}); and a leader that installed a snapshot covering the
 * entry after a restart has no cache entry for it (client sessions in the state machine close
 * both).
 */
final class LeaderCalls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderCalls.class);
  private static final long FIRST_BACKOFF_MS = 10;

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftPeerId self;
  private final RaftClientRpc remote;
  private final ClientId clientId;
  private final Settings settings;
  private final boolean readsAtLeader;
  private final Semaphore outstanding;
  private final ScheduledExecutorService timers;
  private final ExecutorService remoteCalls;
  private volatile boolean closed;

  /**
   * @param deadline how long one request is tried before it fails
   * @param attemptTimeout how long one attempt waits for its answer before the request is resent
   * @param maxRetryBackoff the longest wait between two attempts (they start at 10 ms and double)
   * @param maxOutstanding requests of this node in flight at once; more are refused (backpressure)
   * @param remoteThreads blocking calls to a remote leader at once
   */
  record Settings(Duration deadline, Duration attemptTimeout, Duration maxRetryBackoff, int maxOutstanding,
      int remoteThreads) {
    Settings {
      if (maxOutstanding < 1 || remoteThreads < 1) {
        throw new IllegalArgumentException("maxOutstanding and remoteThreads must be at least 1");
      }
    }
  }

  /**
   * @param remote the client side of Ratis' client protocol, used only for blocking unary calls
   * @param readsAtLeader true when the server answers reads only on the leader (read option
   *     DEFAULT); with LINEARIZABLE a follower answers by ReadIndex from the leader
   */
  LeaderCalls(RaftServer server, RaftGroupId groupId, RaftPeerId self, RaftClientRpc remote, Settings settings,
      boolean readsAtLeader) {
    this.server = server;
    this.groupId = groupId;
    this.self = self;
    this.remote = remote;
    this.clientId = ClientId.randomId();
    this.settings = settings;
    this.readsAtLeader = readsAtLeader;
    this.outstanding = new Semaphore(settings.maxOutstanding());
    ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, daemonThreads("raft-call-timer"));
    timerPool.setRemoveOnCancelPolicy(true);
    this.timers = timerPool;
    // Bounded by the outstanding permits: at most maxOutstanding calls can wait here.
    this.remoteCalls = new ThreadPoolExecutor(settings.remoteThreads(), settings.remoteThreads(), 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("raft-call-remote"));
  }

  CompletableFuture<RaftClientReply> write(Message message) {
    return call(message, true);
  }

  CompletableFuture<RaftClientReply> read(Message message) {
    return call(message, false);
  }

  private CompletableFuture<RaftClientReply> call(Message message, boolean write) {
    if (closed) {
      return CompletableFuture.failedFuture(new RaftCallException(RaftCallException.Kind.CLOSED,
          "node " + self + " is shutting down", null));
    }
    if (!outstanding.tryAcquire()) {
      return CompletableFuture.failedFuture(new RaftCallException(RaftCallException.Kind.BACKPRESSURE,
          "node " + self + " already has " + settings.maxOutstanding() + " Raft requests in flight", null));
    }
    Call call = new Call(message, write, CallId.getAndIncrement(), System.nanoTime() + settings.deadline().toNanos());
    call.result.whenComplete((reply, error) -> outstanding.release());
    call.attempt();
    return call.result;
  }

  /** One request and its attempts. Attempts never overlap: the next starts when the last ended. */
  private final class Call {
    final Message message;
    final boolean write;
    final long callId;
    final long deadlineNanos;
    final CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
    int attempts;
    /** Some attempt reached a server that may have appended the request. */
    boolean mayHaveReachedLeader;
    Throwable lastError;

    Call(Message message, boolean write, long callId, long deadlineNanos) {
      this.message = message;
      this.write = write;
      this.callId = callId;
      this.deadlineNanos = deadlineNanos;
    }

    void attempt() {
      long remainingNanos = deadlineNanos - System.nanoTime();
      if (closed) {
        result.completeExceptionally(new RaftCallException(RaftCallException.Kind.CLOSED,
            "node " + self + " is shutting down", lastError));
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
        target = write || readsAtLeader ? leaderTarget() : self;
      } catch (IOException e) {
        lastError = e;
        retryLater();
        return;
      }
      if (target == null) {
        lastError = new IOException("no leader known to node " + self);
        retryLater();
        return;
      }
      RaftClientRequest request = RaftClientRequest.newBuilder()
          .setClientId(clientId)
          .setLeaderId(target)
          .setGroupId(groupId)
          .setCallId(callId)
          .setMessage(message)
          .setType(write ? RaftClientRequest.writeRequestType() : RaftClientRequest.readRequestType())
          .setTimeoutMs(attemptMs)
          .build();
      CompletableFuture<RaftClientReply> reply = target.equals(self) ? inProcess(request) : remote(request, target);
      reply.orTimeout(attemptMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> onAttempt(target, r, e));
    }

    private CompletableFuture<RaftClientReply> inProcess(RaftClientRequest request) {
      try {
        // The division itself takes the request on this thread; the server proxy would hand it to
        // Ratis' client executor and wait for it there (two context switches per request).
        RaftServer.Division division = server.getDivision(groupId);
        return division instanceof RaftClientAsynchronousProtocol direct
            ? direct.submitClientRequestAsync(request)
            : server.submitClientRequestAsync(request);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private CompletableFuture<RaftClientReply> remote(RaftClientRequest request, RaftPeerId target) {
      CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
      try {
        remoteCalls.execute(() -> {
          try {
            reply.complete(remote.sendRequest(request));
          } catch (IOException | RuntimeException e) {
            reply.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        reply.completeExceptionally(new IOException("node " + self + " is shutting down", e));
      }
      return reply;
    }

    private void onAttempt(RaftPeerId target, RaftClientReply reply, Throwable error) {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!refusedConnection(cause)) {
          mayHaveReachedLeader = true;
        }
        if (!target.equals(self)) {
          // A stalled connection (a cut network) would hold every later call to this leader; the
          // next one gets a fresh channel.
          remote.handleException(target, cause instanceof Exception e ? e : new IOException(cause), true);
        }
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
            "node " + self + " is shutting down", lastError));
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
  }

  /** Where the next write goes: this node when it leads, else the leader it knows (null: none known). */
  private RaftPeerId leaderTarget() throws IOException {
    RaftServer.Division division = server.getDivision(groupId);
    DivisionInfo info = division.getInfo();
    if (info.isLeader()) {
      return self;
    }
    RaftPeerId leader = info.getLeaderId();
    if (leader == null || leader.equals(self)) {
      return null;
    }
    RaftPeer peer = division.getRaftConf().getPeer(leader);
    if (peer == null) {
      return null;
    }
    remote.addRaftPeers(peer);
    return leader;
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

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    remoteCalls.shutdownNow();
  }
}
