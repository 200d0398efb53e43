package org.ringrift.cluster.node.guard;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per caller (Bucket4j's): {@code burst} tokens, refilled at {@code perSecond}.
 * The number of callers tracked is bounded; when the table is full, callers whose bucket has
 * refilled (idle) are forgotten first, and if none has, a new caller is refused rather than
 * growing the table.
 */
public final class RateLimiter {
  /** Why a call was refused. */
  public enum Verdict { ALLOWED, OVER_RATE, TOO_MANY_CALLERS }

  private final Duration perToken;
  private final int burst;
  private final int maxCallers;
  private final TimeMeter clock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public RateLimiter(double perSecond, int burst, int maxCallers, LongSupplier nanoTime) {
    // One token every 1/perSecond: a rate below one call a second is a whole token per period too.
    this.perToken = Duration.ofNanos(Math.max(1, Math.round(1e9 / perSecond)));
    this.burst = burst;
    this.maxCallers = maxCallers;
    this.clock = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanoTime.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
  }

  public synchronized Verdict acquire(String caller) {
    Bucket bucket = buckets.get(caller);
    if (bucket == null) {
      if (buckets.size() >= maxCallers && !forgetIdle()) {
        return Verdict.TOO_MANY_CALLERS;
      }
      bucket = newBucket();
      buckets.put(caller, bucket);
    }
    return bucket.tryConsume(1) ? Verdict.ALLOWED : Verdict.OVER_RATE;
  }

  synchronized int tracked() {
    return buckets.size();
  }

  /** A new caller starts with a full burst. */
  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(1, perToken))
        .withCustomTimePrecision(clock)
        .build();
  }

  private boolean forgetIdle() {
    boolean freed = false;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().getAvailableTokens() >= burst) {
        it.remove();
        freed = true;
      }
    }
    return freed;
  }
}
