package org.ringrift.cluster.daemons;

import java.time.Duration;

/**
 * What a daemon knows about why it runs. For a leader daemon: the term it was started in, which
 * every command it proposes must carry, and how long this node has been the ready leader.
 */
public record DaemonContext(long leaderTerm, long readySinceNanos, java.util.function.LongSupplier nanoTime) {
  public static DaemonContext everyNode(java.util.function.LongSupplier nanoTime) {
    return new DaemonContext(0, 0, nanoTime);
  }

  public boolean isLeaderContext() {
    return leaderTerm > 0;
  }

  /** Time since this node became the ready leader: new leaders judge nobody during a grace period. */
  public Duration leaderFor() {
    return Duration.ofNanos(nanoTime.getAsLong() - readySinceNanos);
  }
}
