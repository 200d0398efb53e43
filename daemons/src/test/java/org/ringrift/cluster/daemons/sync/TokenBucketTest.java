package org.ringrift.cluster.daemons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void tenSecondsOfBytesTakeTenSecondsOfFakeTime() throws Exception {
    long[] now = {0};
    TokenBucket bucket = new TokenBucket(1_000_000, () -> now[0], nanos -> now[0] += nanos);
    for (int i = 0; i < 1000; i++) {
      bucket.take(10_000);
    }
    assertThat(now[0] / 1e9).isBetween(9.9, 10.01);
  }

  @Test
  void idleTimeBuysAtMostATenthOfASecondOfBurst() throws Exception {
    long[] now = {0};
    TokenBucket bucket = new TokenBucket(1_000_000, () -> now[0], nanos -> now[0] += nanos);
    now[0] += 60_000_000_000L;
    long before = now[0];
    bucket.take(1_100_000);
    assertThat((now[0] - before) / 1e9).isBetween(0.99, 1.01);
  }
}
