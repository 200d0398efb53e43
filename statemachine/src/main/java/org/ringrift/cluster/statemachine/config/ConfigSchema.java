package org.ringrift.cluster.statemachine.config;

import static org.ringrift.cluster.contract.names.ConfigKeys.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ringrift.cluster.contract.names.DatasetKinds;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.sync.NodeSelector;

/**
 * Every key of the replicated runtime config. Values are integers (milliseconds, counts, bytes)
 * or, for sync routes, node selectors; an unknown key or a value outside its range is rejected. The defaults are the original system's.
 */
public final class ConfigSchema {
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  private static final Map<String, ConfigKey> KEYS = build();

  private ConfigSchema() {}

  private static Map<String, ConfigKey> build() {
    List<ConfigKey> keys = new ArrayList<>();
    keys.add(new ConfigKey(PENDING_SOFT_LIMIT, 500, 1, 1_000_000, "pending items at which backpressure starts (event, metric)"));
    keys.add(new ConfigKey(PENDING_HARD_LIMIT, 1000, 1, 1_000_000, "pending items at which enqueue is refused unless forced"));
    keys.add(new ConfigKey(PENDING_RECOVERY, 200, 0, 1_000_000, "pending items at or below which backpressure is released"));
    keys.add(new ConfigKey(GROUP_MAX_IN_FLIGHT, 1, 1, 10_000, "claimed or running items per group key"));
    keys.add(new ConfigKey(RETRY_BACKOFF_BASE_MS, 30_000, 0, DAY_MS, "delay before the first retry of a failed item; doubles per attempt"));
    keys.add(new ConfigKey(RETRY_BACKOFF_MAX_MS, 300_000, 0, DAY_MS, "longest retry delay"));
    keys.add(new ConfigKey(TERMINAL_RETENTION_MS, DAY_MS, 60_000, 365 * DAY_MS, "how long completed, failed, timed-out and cancelled items are kept"));
    keys.add(new ConfigKey(EVENTS_MAX_HISTORY, 1000, 10, 100_000, "events kept in the replicated event log"));
    keys.add(new ConfigKey(SYNC_MAX_HISTORY, 10_000, 10, 1_000_000, "sync records kept"));
    keys.add(new ConfigKey(BLACKLIST_BASE_MS, 600_000, 1_000, 7 * DAY_MS, "blacklist period per failure charged to a node"));
    keys.add(new ConfigKey(HEARTBEAT_INTERVAL_MS, 15_000, 100, HOUR_MS, "how often every node reports its heartbeat"));
    keys.add(new ConfigKey(SUSPECT_AFTER_MS, 90_000, 200, DAY_MS, "heartbeat age after which a node is suspect"));
    keys.add(new ConfigKey(DEAD_AFTER_MS, 180_000, 300, DAY_MS, "heartbeat age after which a node is dead"));
    keys.add(new ConfigKey(POPULATOR_TARGET_DEPTH, 150, 0, 100_000, "pending items the queue populator keeps"));
    keys.add(new ConfigKey(POPULATOR_MAX_PER_CYCLE, 100, 0, 10_000, "items the populator adds per cycle at most"));
    keys.add(new ConfigKey(SYNC_PER_HOST_BYTES_PER_S, 50L << 20, 1L << 16, 100L << 30,
        "bandwidth cap of one target host's transfer, bytes per second"));
    keys.add(new ConfigKey(SYNC_TOTAL_BYTES_PER_S, 300L << 20, 1L << 16, 1000L << 30,
        "bandwidth cap of all transfers together: the planner runs at most total/per_host transfers at once"));
    keys.add(new ConfigKey(SYNC_MAX_ATTEMPTS, 3, 1, 100, "failed transfers of one file version to one target before the planner gives up"));
    keys.add(new ConfigKey(SYNC_MAX_PLANS_PER_CYCLE, 16, 1, 1000, "transfers the sync planner plans per cycle at most"));
    keys.add(new ConfigKey(SYNC_STALL_MS, 120_000, 1_000, DAY_MS, "a running transfer without progress this long is failed and replanned"));
    keys.add(ConfigKey.text(syncRouteKey(DatasetKinds.MODEL), "capability:gpu", NodeSelector::parse,
        "nodes that receive model datasets: all, none, or role:R,capability:C,node:ID"));
    keys.add(ConfigKey.text(syncRouteKey(DatasetKinds.SELFPLAY_DB), "role:training", NodeSelector::parse,
        "nodes that receive selfplay-db datasets"));
    keys.add(ConfigKey.text(syncRouteKey(DatasetKinds.TRAINING_NPZ), "capability:gpu", NodeSelector::parse,
        "nodes that receive training-npz datasets"));
    for (WorkType type : WorkTypes.all()) {
      keys.add(new ConfigKey(timeoutKey(type), defaultTimeoutMs(type), 1_000, 7 * DAY_MS,
          "default timeout of " + WorkTypes.name(type) + " items, from claim to completion"));
      keys.add(new ConfigKey(pendingCapKey(type), 0, 0, 1_000_000,
          "pending " + WorkTypes.name(type) + " items at most (0: no cap beyond the hard limit)"));
    }
    Map<String, ConfigKey> map = new TreeMap<>();
    for (ConfigKey key : keys) {
      map.put(key.name(), key);
    }
    return Collections.unmodifiableMap(map);
  }

  private static long defaultTimeoutMs(WorkType type) {
    return switch (type) {
      case WORK_TYPE_SELFPLAY -> 2 * HOUR_MS;
      case WORK_TYPE_TRAINING -> 4 * HOUR_MS;
      case WORK_TYPE_GPU_CMAES, WORK_TYPE_HYPERPARAM_SWEEP -> 3 * HOUR_MS;
      default -> HOUR_MS;
    };
  }

  public static Optional<ConfigKey> key(String name) {
    return Optional.ofNullable(KEYS.get(name));
  }

  /** Every key, in name order. */
  public static List<ConfigKey> all() {
    return List.copyOf(KEYS.values());
  }
}
