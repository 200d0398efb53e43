package org.ringrift.cluster.client;

import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.contract.errors.ErrorKind;

/**
 * The pause between two rounds of a call that found no node answering: 20 ms, doubling up to
 * 500 ms, never past the call's deadline. One per call; shared by plain calls and session writes.
 */
final class RoundPauses {
  static final long FIRST_MS = 20;
  static final long MAX_MS = 500;

  private long nextMs = FIRST_MS;

  /** Waits before the next round; false, without waiting, once the deadline has passed. */
  boolean awaitNextRound(Deadline deadline) {
    long leftMs = deadline.timeRemaining(TimeUnit.MILLISECONDS);
    if (leftMs <= 0) {
      return false;
    }
    try {
      Thread.sleep(Math.min(nextMs, leftMs));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException(ErrorKind.UNAVAILABLE, "interrupted while retrying a call", e);
    }
    nextMs = Math.min(nextMs * 2, MAX_MS);
    return true;
  }
}
