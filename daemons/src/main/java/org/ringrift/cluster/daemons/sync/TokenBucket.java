package org.ringrift.cluster.daemons.sync;

import java.util.function.LongSupplier;

/**
 * Throttles a transfer to {@code bytesPerSecond}: callers take tokens for the bytes they moved
 * and wait when the bucket is empty. The burst is a tenth of a second of rate, so the average
 * over any stretch of seconds stays at the cap.
 */
public final class TokenBucket {
  /** Waits for the given nanoseconds; injected so that tests need not sleep. */
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final long bytesPerSecond;
  private final long burst;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private double tokens;
  private long lastNanos;

  public TokenBucket(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 byte/s");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burst = Math.max(1, bytesPerSecond / 10);
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.lastNanos = nanoTime.getAsLong();
    this.tokens = 0;
  }

  public static TokenBucket realTime(long bytesPerSecond) {
    return new TokenBucket(bytesPerSecond, System::nanoTime, nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos));
  }

  /** Takes {@code bytes} tokens, waiting until the bucket has refilled enough (debt is allowed). */
  public void take(long bytes) throws InterruptedException {
    refill();
    tokens -= bytes;
    if (tokens < 0) {
      sleeper.sleepNanos((long) Math.ceil(-tokens * 1e9 / bytesPerSecond));
      refill();
    }
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - lastNanos) * (double) bytesPerSecond / 1e9);
    lastNanos = now;
  }
}
