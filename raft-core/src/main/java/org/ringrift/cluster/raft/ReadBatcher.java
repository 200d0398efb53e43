package org.ringrift.cluster.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.ReadBarrierRequest;

/**
 * Batched linearizable reads: one ReadIndex round for all the reads that arrived together. The
 * round is a read of an empty barrier query through Raft; when it returns, this node has applied
 * everything that was committed before the barrier was sent, so every read that arrived before
 * then is answered from this node's own state, which is at least that new and no newer than what
 * is committed now: a point inside each read's own interval, as linearizability asks. Reads that
 * arrive while a barrier is out wait for the next one; one barrier is out at a time.
 */
final class ReadBatcher implements AutoCloseable {
  private static final Message BARRIER = Message.valueOf(ByteString.copyFrom(
      Query.newBuilder().setBarrier(ReadBarrierRequest.getDefaultInstance()).build().toByteArray()));

  private record Pending(Query query, CompletableFuture<QueryResult> result) {}

  private final ReplicatedClient.RaftSend reads;
  private final ReplicatedClient.LocalReader local;
  private final Executor serve;
  private final int maxQueued;
  private final Object lock = new Object();
  private List<Pending> waiting = new ArrayList<>();
  private boolean barrierOut;
  private boolean closed;
  private final LatencyStats barriers = new LatencyStats();

  /**
   * @param reads a linearizable Raft read (ReadIndex), for the barrier
   * @param local this node's applied state
   * @param serve where the reads of a finished barrier are answered (off Ratis' threads)
   * @param maxQueued reads waiting for a barrier, at most; more are refused (backpressure)
   */
  ReadBatcher(ReplicatedClient.RaftSend reads, ReplicatedClient.LocalReader local, Executor serve, int maxQueued) {
    this.reads = reads;
    this.local = local;
    this.serve = serve;
    this.maxQueued = maxQueued;
  }

  /** Barrier rounds: their count against the reads answered shows how much the batching saves. */
  LatencyStats barriers() {
    return barriers;
  }

  CompletableFuture<QueryResult> read(Query query) {
    CompletableFuture<QueryResult> result = new CompletableFuture<>();
    boolean start;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new RaftCallException(RaftCallException.Kind.CLOSED,
            "this node is shutting down", null));
      }
      if (waiting.size() >= maxQueued) {
        return CompletableFuture.failedFuture(new RaftCallException(RaftCallException.Kind.BACKPRESSURE,
            "this node already has " + maxQueued + " reads waiting for a read barrier", null));
      }
      waiting.add(new Pending(query, result));
      start = !barrierOut;
      barrierOut |= start;
    }
    if (start) {
      sendBarrier();
    }
    return result;
  }

  private void sendBarrier() {
    List<Pending> batch;
    synchronized (lock) {
      batch = waiting;
      waiting = new ArrayList<>();
    }
    long startNanos = System.nanoTime();
    CompletableFuture<org.apache.ratis.protocol.RaftClientReply> barrier;
    try {
      barrier = reads.send(BARRIER);
    } catch (RuntimeException e) {
      barrier = CompletableFuture.failedFuture(e);
    }
    barrier.whenComplete((reply, error) -> {
      barriers.record(System.nanoTime() - startNanos);
      Throwable failure = error != null ? error : reply.isSuccess() ? null : reply.getException();
      // Never from here: this callback may run inside Ratis holding its read-index lock, and a new
      // read submitted on this thread would wait for that lock (a deadlock, seen in a test).
      serve.execute(() -> {
        answer(batch, failure);
        boolean again;
        synchronized (lock) {
          again = !waiting.isEmpty() && !closed;
          barrierOut = again;
        }
        if (again) {
          sendBarrier();
        }
      });
    });
  }

  private void answer(List<Pending> batch, Throwable failure) {
    for (Pending pending : batch) {
      if (failure != null) {
        pending.result().completeExceptionally(failure);
        continue;
      }
      try {
        pending.result().complete(local.read(pending.query()));
      } catch (Exception | Error e) {
        pending.result().completeExceptionally(e);
      }
    }
  }

  @Override
  public void close() {
    List<Pending> left;
    synchronized (lock) {
      closed = true;
      left = waiting;
      waiting = new ArrayList<>();
    }
    RaftCallException closing = new RaftCallException(RaftCallException.Kind.CLOSED, "this node is shutting down", null);
    left.forEach(p -> p.result().completeExceptionally(closing));
  }
}
