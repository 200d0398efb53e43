package org.ringrift.cluster.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The leader this node last heard of (Ratis' notifyLeaderChanged), and futures that complete when
 * it hears of a given one: a leader transfer waits on that event instead of polling.
 */
final class LeaderWatch {
  /** Waits at once; a wait is an operator's leader transfer, so more than this is a bug. */
  static final int MAX_WAITERS = 64;

  private record Waiter(String leaderId, CompletableFuture<Void> heard) {}

  private final List<Waiter> waiters = new ArrayList<>();
  private String leaderId = "";

  /** From the state machine's notification; {@code id} empty when no leader is known. */
  void changed(String id) {
    List<Waiter> done;
    synchronized (this) {
      leaderId = id;
      done = waiters.stream().filter(w -> w.leaderId().equals(id)).toList();
      waiters.removeAll(done);
    }
    // Outside the lock, on the notifying (Ratis) thread: waiters block in their own threads.
    done.forEach(w -> w.heard().complete(null));
  }

  /**
   * Completes once this node has heard that {@code id} leads (at once if it already has). Call
   * {@link #forget} when no longer waiting, so an unanswered wait does not stay.
   */
  synchronized CompletableFuture<Void> awaitLeader(String id) {
    if (leaderId.equals(id)) {
      return CompletableFuture.completedFuture(null);
    }
    if (waiters.size() >= MAX_WAITERS) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          MAX_WAITERS + " waits for a leader change are already open (LeaderWatch.MAX_WAITERS)"));
    }
    Waiter waiter = new Waiter(id, new CompletableFuture<>());
    waiters.add(waiter);
    return waiter.heard();
  }

  synchronized void forget(CompletableFuture<Void> heard) {
    waiters.removeIf(w -> w.heard() == heard);
  }
}
