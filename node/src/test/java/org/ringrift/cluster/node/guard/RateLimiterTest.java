package org.ringrift.cluster.node.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void aCallerGetsItsBurstThenTheRate() {
    RateLimiter limiter = new RateLimiter(10, 5, 100, nanos::get);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire("a")).isEqualTo(RateLimiter.Verdict.ALLOWED);
    }
    assertThat(limiter.acquire("a")).isEqualTo(RateLimiter.Verdict.OVER_RATE);
    assertThat(limiter.acquire("b")).as("callers have their own buckets").isEqualTo(RateLimiter.Verdict.ALLOWED);
    nanos.addAndGet(100_000_000L); // 0.1 s at 10/s: one token
    assertThat(limiter.acquire("a")).isEqualTo(RateLimiter.Verdict.ALLOWED);
    assertThat(limiter.acquire("a")).isEqualTo(RateLimiter.Verdict.OVER_RATE);
  }

  @Test
  void theCallerTableIsBoundedAndForgetsIdleCallersFirst() {
    RateLimiter limiter = new RateLimiter(1, 2, 2, nanos::get);
    assertThat(limiter.acquire("a")).isEqualTo(RateLimiter.Verdict.ALLOWED);
    assertThat(limiter.acquire("b")).isEqualTo(RateLimiter.Verdict.ALLOWED);
    assertThat(limiter.acquire("c")).isEqualTo(RateLimiter.Verdict.TOO_MANY_CALLERS);
    nanos.addAndGet(2_000_000_000L); // both refilled: idle
    assertThat(limiter.acquire("c")).isEqualTo(RateLimiter.Verdict.ALLOWED);
    assertThat(limiter.tracked()).isLessThanOrEqualTo(2);
  }
}
