package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetFileClockTest {
  @TempDir Path dir;

  @Test
  void addsTheOffsetInTheFileAndRereadsItAfterTheInterval() throws Exception {
    Clock base = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
    AtomicLong nanos = new AtomicLong();
    Path file = dir.resolve("offset");
    OffsetFileClock clock = new OffsetFileClock(base, file, nanos::get);

    assertThat(clock.millis()).as("no file: no offset").isEqualTo(1_000_000);
    Files.writeString(file, "5000\n");
    assertThat(clock.millis()).as("not reread yet").isEqualTo(1_000_000);
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS);
    assertThat(clock.millis()).isEqualTo(1_005_000);
    assertThat(clock.instant().toEpochMilli()).isEqualTo(1_005_000);

    Files.writeString(file, "-3000");
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS);
    assertThat(clock.millis()).as("a jump back").isEqualTo(997_000);

    Files.writeString(file, "12ab");
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS);
    assertThat(clock.millis()).as("unreadable content keeps the last offset").isEqualTo(997_000);

    Files.delete(file);
    nanos.addAndGet(OffsetFileClock.REREAD_NANOS);
    assertThat(clock.millis()).isEqualTo(1_000_000);
  }
}
