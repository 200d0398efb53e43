package org.ringrift.cluster.raft;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Count, total and recent maximum of one kind of latency, cheap enough for every log entry.
 * Exported as a Prometheus summary (count and sum give rate and mean) plus the largest value
 * since the last {@link #takeMaxNanos()}.
 */
public final class LatencyStats {
  private final LongAdder count = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final AtomicLong maxNanos = new AtomicLong();

  public void record(long nanos) {
    count.increment();
    totalNanos.add(nanos);
    maxNanos.accumulateAndGet(nanos, Math::max);
  }

  public long count() {
    return count.sum();
  }

  public long totalNanos() {
    return totalNanos.sum();
  }

  /** The largest value recorded since the previous call, and a fresh window from now. */
  public long takeMaxNanos() {
    return maxNanos.getAndSet(0);
  }
}
