package org.ringrift.cluster.node.guard;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per caller: {@code burst} tokens, refilled at {@code perSecond}. The number of
 * callers tracked is bounded; when the table is full, callers whose bucket has refilled (idle) are
 * forgotten first, and if none has, a new caller is refused rather than growing the table.
 */
public final class RateLimiter {
  /** Why a call was refused. */
  public enum Verdict { ALLOWED, OVER_RATE, TOO_MANY_CALLERS }

  private final double perSecond;
  private final double burst;
  private final int maxCallers;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public RateLimiter(double perSecond, int burst, int maxCallers, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxCallers = maxCallers;
    this.nanoTime = nanoTime;
  }

  public synchronized Verdict acquire(String caller) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.get(caller);
    if (bucket == null) {
      if (buckets.size() >= maxCallers && !forgetIdle(now)) {
        return Verdict.TOO_MANY_CALLERS;
      }
      bucket = new Bucket(burst, now);
      buckets.put(caller, bucket);
    }
    bucket.refill(now, perSecond, burst);
    if (bucket.tokens < 1) {
      return Verdict.OVER_RATE;
    }
    bucket.tokens -= 1;
    return Verdict.ALLOWED;
  }

  synchronized int tracked() {
    return buckets.size();
  }

  private boolean forgetIdle(long now) {
    boolean freed = false;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      bucket.refill(now, perSecond, burst);
      if (bucket.tokens >= burst) {
        it.remove();
        freed = true;
      }
    }
    return freed;
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }

    void refill(long now, double perSecond, double burst) {
      long elapsed = Math.max(0, now - lastNanos);
      tokens = Math.min(burst, tokens + elapsed * perSecond / 1e9);
      lastNanos = now;
    }
  }
}
