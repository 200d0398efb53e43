package org.ringrift.cluster.daemons.sync;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Throttles a transfer to {@code bytesPerSecond}: callers take tokens for the bytes they moved
 * and wait when the bucket is empty. The burst is a tenth of a second of rate, so the average
 * over any stretch of seconds stays at the cap. The bucket is Bucket4j's, on the injected clock.
 */
public final class TokenBucket {
  /** Waits for the given nanoseconds; injected so that tests need not sleep. */
  public interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final Bucket bucket;
  private final Sleeper sleeper;

  public TokenBucket(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 byte/s");
    }
    long burst = Math.max(1, bytesPerSecond / 10);
    this.bucket = Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(bytesPerSecond, Duration.ofSeconds(1)).initialTokens(0))
        .withCustomTimePrecision(new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return nanoTime.getAsLong();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        })
        .build();
    this.sleeper = sleeper;
  }

  public static TokenBucket realTime(long bytesPerSecond) {
    return new TokenBucket(bytesPerSecond, System::nanoTime, nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos));
  }

  /** Takes {@code bytes} tokens, waiting until the bucket has refilled enough (debt is allowed). */
  public void take(long bytes) throws InterruptedException {
    long debtNanos = bucket.consumeIgnoringRateLimits(bytes);
    if (debtNanos > 0) {
      sleeper.sleepNanos(debtNanos);
    }
  }
}
