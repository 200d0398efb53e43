package org.ringrift.cluster.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on the proposing node: every write this node proposes waits in one bounded queue,
 * and one submitter thread drains it into a batch (one Raft entry of up to {@code
 * maxBatchCommands} commands and {@code maxBatchBytes}) and proposes it. While {@code
 * maxInFlightBatches} batches are in flight the next one fills; an idle node proposes at once (no
 * linger unless one is set), so batching adds no delay and under load one entry, one append and
 * one fsync carry many writes.
 *
 * @param <C> a command, @param <R> its result
 */
public final class GroupCommit<C, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /** Batch sizes are counted in power-of-two buckets up to this many commands. */
  public static final int SIZE_BUCKETS = 12;

  /** How commands become one Raft message and its reply one result per command. */
  interface Codec<C, R> {
    int sizeBytes(C command);

    Message encode(List<C> commands);

    /** One result per command, in order; throws if the reply does not match. */
    List<R> decode(RaftClientReply reply, int commands);
  }

  /** Batch sizes, time in queue and queue depth: what an operator needs to see the batching work. */
  public static final class Stats {
    private final AtomicLongArray sizeBuckets = new AtomicLongArray(SIZE_BUCKETS + 1);
    private final LatencyStats queueWait = new LatencyStats();
    private volatile int queued;

    /** Batches of at most 2^i commands, cumulative, for i in 0..SIZE_BUCKETS-1; the last entry counts all. */
    public long[] sizeHistogram() {
      long[] cumulative = new long[SIZE_BUCKETS + 1];
      long sum = 0;
      for (int i = 0; i <= SIZE_BUCKETS; i++) {
        sum += sizeBuckets.get(i);
        cumulative[i] = sum;
      }
      return cumulative;
    }

    public LatencyStats queueWait() {
      return queueWait;
    }

    public int queued() {
      return queued;
    }

    private void recordBatch(int commands) {
      int bucket = 0;
      while (bucket < SIZE_BUCKETS && (1 << bucket) < commands) {
        bucket++;
      }
      sizeBuckets.incrementAndGet(bucket);
    }
  }

  private record Pending<C, R>(C command, int sizeBytes, long queuedNanos, CompletableFuture<R> result) {}

  private final GroupCommitSettings settings;
  private final Codec<C, R> codec;
  private final ReplicatedClient.RaftSend send;
  private final Stats stats = new Stats();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayDeque<Pending<C, R>> queue = new ArrayDeque<>();
  private final Thread submitter;
  private int inFlight;
  private boolean closed;

  GroupCommit(GroupCommitSettings settings, Codec<C, R> codec, ReplicatedClient.RaftSend send, String nodeId) {
    this.settings = settings;
    this.codec = codec;
    this.send = send;
    this.submitter = new Thread(this::submitLoop, "group-commit-" + nodeId);
    submitter.setDaemon(true);
    submitter.start();
  }

  public Stats stats() {
    return stats;
  }

  CompletableFuture<R> submit(C command) {
    CompletableFuture<R> result = new CompletableFuture<>();
    Pending<C, R> pending = new Pending<>(command, codec.sizeBytes(command), System.nanoTime(), result);
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new RaftCallException(RaftCallException.Kind.CLOSED,
            "this node is shutting down", null));
      }
      if (queue.size() >= settings.maxQueuedCommands()) {
        return CompletableFuture.failedFuture(new RaftCallException(RaftCallException.Kind.BACKPRESSURE,
            "this node already has " + settings.maxQueuedCommands() + " writes waiting to be proposed "
                + "(group commit queue)", null));
      }
      queue.addLast(pending);
      stats.queued = queue.size();
      work.signal();
    } finally {
      lock.unlock();
    }
    return result;
  }

  private void submitLoop() {
    try {
      while (true) {
        List<Pending<C, R>> batch = nextBatch();
        if (batch == null) {
          return;
        }
        propose(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("group commit submitter died: {}", e.toString(), e);
      failAll(e);
      throw e;
    }
  }

  /** Waits for a free slot and a command, then takes what one entry holds; null once closed. */
  private List<Pending<C, R>> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (!closed && (queue.isEmpty() || inFlight >= settings.maxInFlightBatches())) {
        work.await();
      }
      if (closed) {
        return null;
      }
      if (!settings.linger().isZero() && queue.size() < settings.maxBatchCommands()) {
        work.awaitNanos(settings.linger().toNanos());
        if (closed) {
          return null;
        }
      }
      List<Pending<C, R>> batch = new ArrayList<>(Math.min(queue.size(), settings.maxBatchCommands()));
      long bytes = 0;
      while (!queue.isEmpty() && batch.size() < settings.maxBatchCommands()) {
        Pending<C, R> next = queue.peekFirst();
        if (!batch.isEmpty() && bytes + next.sizeBytes() > settings.maxBatchBytes()) {
          break;
        }
        batch.add(queue.pollFirst());
        bytes += next.sizeBytes();
      }
      stats.queued = queue.size();
      inFlight++;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void propose(List<Pending<C, R>> batch) {
    long now = System.nanoTime();
    for (Pending<C, R> pending : batch) {
      stats.queueWait.record(now - pending.queuedNanos());
    }
    stats.recordBatch(batch.size());
    List<C> commands = new ArrayList<>(batch.size());
    batch.forEach(p -> commands.add(p.command()));
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = send.send(codec.encode(commands));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, error) -> {
      try {
        complete(batch, r, error);
      } finally {
        lock.lock();
        try {
          inFlight--;
          work.signal();
        } finally {
          lock.unlock();
        }
      }
    });
  }

  private void complete(List<Pending<C, R>> batch, RaftClientReply reply, Throwable error) {
    if (error != null) {
      batch.forEach(p -> p.result().completeExceptionally(error));
      return;
    }
    List<R> results;
    try {
      results = codec.decode(reply, batch.size());
    } catch (RuntimeException e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
    }
  }

  private void failAll(Throwable cause) {
    List<Pending<C, R>> left;
    lock.lock();
    try {
      closed = true;
      left = new ArrayList<>(queue);
      queue.clear();
      stats.queued = 0;
    } finally {
      lock.unlock();
    }
    RaftCallException closing = new RaftCallException(RaftCallException.Kind.CLOSED,
        "this node's group commit stopped before proposing the write", cause);
    left.forEach(p -> p.result().completeExceptionally(closing));
  }

  @Override
  public void close() {
    failAll(null);
    lock.lock();
    try {
      work.signalAll();
    } finally {
      lock.unlock();
    }
    submitter.interrupt();
  }
}
