package org.ringrift.cluster.node.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ringrift.cluster.daemons.sync.SyncListener;

/** Sync metrics of this node as a target: bytes received, transfers by result, last transfer rate, per dataset. */
public final class SyncMetrics implements SyncListener {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> lastRate = new ConcurrentHashMap<>();

  public SyncMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void bytesMoved(String dataset, long bytes) {
    Counter.builder("ringrift_sync_bytes_total").tags(Tags.of("dataset", dataset))
        .description("dataset bytes this node received by sync").register(registry).increment(bytes);
  }

  @Override
  public void finished(String dataset, boolean done, long bytes, long nanos) {
    Counter.builder("ringrift_sync_transfers_total").tags(Tags.of("dataset", dataset, "result", done ? "done" : "failed"))
        .description("sync transfers this node finished, by result").register(registry).increment();
    if (done && nanos > 0) {
      lastRate.computeIfAbsent(dataset, d -> {
        AtomicLong rate = new AtomicLong();
        Gauge.builder("ringrift_sync_last_rate_bytes_per_second", rate, AtomicLong::get).tags(Tags.of("dataset", d))
            .description("transfer rate of this node's last finished sync of the dataset").register(registry);
        return rate;
      }).set((long) (bytes * 1e9 / nanos));
    }
  }
}
