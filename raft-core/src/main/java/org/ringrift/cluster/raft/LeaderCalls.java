package org.ringrift.cluster.raft;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.CallId;
import org.apache.ratis.server.RaftServer;

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
  private final RaftPeerId self;
  private final Settings settings;
  private final CallTransport transport;
  private final Semaphore outstanding;
  private final ScheduledExecutorService timers;
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
    this.self = self;
    this.settings = settings;
    this.transport = new CallTransport(server, groupId, self, remote, readsAtLeader, settings.remoteThreads());
    this.outstanding = new Semaphore(settings.maxOutstanding());
    ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1,
        CallTransport.daemonThreads("raft-call-timer"));
    timerPool.setRemoveOnCancelPolicy(true);
    this.timers = timerPool;
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
    RaftCall call = new RaftCall(transport, settings, timers, () -> closed, message, write, CallId.getAndIncrement(),
        System.nanoTime() + settings.deadline().toNanos());
    call.result.whenComplete((reply, error) -> outstanding.release());
    call.attempt();
    return call.result;
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    transport.close();
  }
}
