package org.ringrift.cluster.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test-only clock (rrnode --unsafe-test-hooks --clock-offset-file F): the base clock plus the
 * offset in milliseconds written in F (absent or empty file: 0), so that the chaos harness can
 * jump one node's clock forward or back while it runs. The file is read at most every
 * {@link #REREAD_NANOS}. Only the edges use it (command stamps, daemon timers, status); apply()
 * never reads a clock.
 */
final class OffsetFileClock extends Clock {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetFileClock.class);
  static final long REREAD_NANOS = 50_000_000L;
  /** Larger jumps are refused: they would only test integer overflow. */
  static final long MAX_OFFSET_MS = 365L * 24 * 3600 * 1000;

  private final Clock base;
  private final Path file;
  private final LongSupplier nanoTime;
  private long offsetMs;
  private long readAtNanos;
  private boolean read;

  OffsetFileClock(Clock base, Path file, LongSupplier nanoTime) {
    this.base = base;
    this.file = file;
    this.nanoTime = nanoTime;
  }

  @Override
  public long millis() {
    return base.millis() + offset();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new OffsetFileClock(base.withZone(zone), file, nanoTime);
  }

  synchronized long offset() {
    long now = nanoTime.getAsLong();
    if (read && now - readAtNanos < REREAD_NANOS) {
      return offsetMs;
    }
    long next = readOffset();
    if (next != offsetMs) {
      LOG.info("clock offset file={} offset_ms={} (was {})", file, next, offsetMs);
    }
    offsetMs = next;
    readAtNanos = now;
    read = true;
    return offsetMs;
  }

  private long readOffset() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      return offsetMs;
    }
    if (text.isEmpty()) {
      return 0;
    }
    try {
      long value = Long.parseLong(text);
      return Math.abs(value) > MAX_OFFSET_MS ? offsetMs : value;
    } catch (NumberFormatException e) {
      // Half-written by the harness: keep the last offset until the next read.
      return offsetMs;
    }
  }
}
