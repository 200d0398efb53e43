package org.ringrift.cluster.node.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiskGuardTest {
  @Test
  void refusesBelowTheReserveAndRecoversWhenSpaceReturns() {
    AtomicLong free = new AtomicLong(1000);
    try (DiskGuard guard = new DiskGuard(Path.of("/data"), 100, Duration.ofMillis(20), Clock.systemUTC(),
        dir -> free.get())) {
      guard.start();
      assertThat(guard.refusal()).isEmpty();
      assertThat(guard.alert().getFiring()).isFalse();
      free.set(99);
      await().atMost(Duration.ofSeconds(5)).until(() -> guard.refusal().isPresent());
      assertThat(guard.refusal().get()).isEqualTo("disk full: data dir /data has 99 bytes free, under the reserve of "
          + "100 bytes (--data-disk-reserve-mb); writes are refused until space is freed");
      assertThat(guard.alert().getFiring()).isTrue();
      free.set(100);
      await().atMost(Duration.ofSeconds(5)).until(() -> guard.refusal().isEmpty());
      assertThat(guard.alert().getFiring()).isFalse();
    }
  }
}
