package org.ringrift.cluster.node.guard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.proto.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the free space of the data dir's file system. Below the reserve the node refuses
 * writes at its admin edge (RESOURCE_EXHAUSTED), reports not-ready and fires the disk_full
 * alert, so the Raft log and the state store keep the reserve for the entries already in flight
 * and never meet ENOSPC halfway through a write. It recovers on the first check with the reserve
 * free again.
 */
public final class DiskGuard implements AutoCloseable {
  public static final String ALERT = org.ringrift.cluster.node.monitor.AlertCatalog.DISK_FULL;
  private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);

  /** Measures a directory's usable bytes; a seam for tests of the thresholds. */
  @FunctionalInterface
  public interface FreeSpace {
    long usableBytes(Path dir) throws IOException;
  }

  private record Reading(long freeBytes, boolean full, long sinceMs) {}

  private final Path dir;
  private final long reserveBytes;
  private final Duration interval;
  private final Clock clock;
  private final FreeSpace freeSpace;
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "disk-guard");
    thread.setDaemon(true);
    return thread;
  });
  private volatile Reading last;

  public DiskGuard(Path dir, long reserveBytes, Duration interval, Clock clock, FreeSpace freeSpace) {
    this.dir = dir;
    this.reserveBytes = reserveBytes;
    this.interval = interval;
    this.clock = clock;
    this.freeSpace = freeSpace;
    this.last = new Reading(Long.MAX_VALUE, false, clock.millis());
  }

  public static FreeSpace fileStore() {
    return dir -> Files.getFileStore(dir).getUsableSpace();
  }

  public void start() {
    check();
    checker.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void bindMetrics(MeterRegistry registry) {
    Gauge.builder("ringrift_data_disk_free_bytes", this, g -> g.last.freeBytes() == Long.MAX_VALUE ? Double.NaN
        : g.last.freeBytes()).description("usable bytes on the data dir's file system").register(registry);
    Gauge.builder("ringrift_data_disk_full", this, g -> g.last.full() ? 1 : 0)
        .description("1 while free space is under --data-disk-reserve-mb and writes are refused").register(registry);
  }

  void check() {
    long free;
    try {
      free = freeSpace.usableBytes(dir);
    } catch (IOException | RuntimeException e) {
      LOG.debug("free space of {} not measured: {}", dir, e.toString());
      return;
    }
    boolean full = free < reserveBytes;
    Reading previous = last;
    if (full != previous.full()) {
      last = new Reading(free, full, clock.millis());
      if (full) {
        LOG.warn("disk full: data dir {} has {} bytes free, under the reserve of {} bytes; refusing writes until "
            + "space is freed", dir, free, reserveBytes);
      } else {
        LOG.info("disk space back: data dir {} has {} bytes free; accepting writes", dir, free);
      }
    } else {
      last = new Reading(free, full, previous.sinceMs());
    }
  }

  /** Why writes are refused right now, or empty while there is space. */
  public Optional<String> refusal() {
    Reading now = last;
    if (!now.full()) {
      return Optional.empty();
    }
    return Optional.of("disk full: data dir " + dir + " has " + now.freeBytes() + " bytes free, under the reserve of "
        + reserveBytes + " bytes (--data-disk-reserve-mb); writes are refused until space is freed");
  }

  public Alert alert() {
    Reading now = last;
    Alert.Builder alert = Alert.newBuilder().setName(ALERT).setFiring(now.full());
    if (now.full()) {
      alert.setSinceMs(now.sinceMs()).setDetail(refusal().orElse(""));
    }
    return alert.build();
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
