package org.ringrift.cluster.contract.names;

import org.ringrift.cluster.proto.WorkType;

/** Names of the replicated runtime config keys; their defaults and ranges live in the state machine's schema. */
public final class ConfigKeys {
  public static final String PENDING_SOFT_LIMIT = "queue.pending_soft_limit";
  public static final String PENDING_HARD_LIMIT = "queue.pending_hard_limit";
  public static final String PENDING_RECOVERY = "queue.pending_recovery";
  public static final String GROUP_MAX_IN_FLIGHT = "queue.group_max_in_flight";
  public static final String RETRY_BACKOFF_BASE_MS = "queue.retry_backoff_base_ms";
  public static final String RETRY_BACKOFF_MAX_MS = "queue.retry_backoff_max_ms";
  public static final String TERMINAL_RETENTION_MS = "queue.terminal_retention_ms";
  public static final String EVENTS_MAX_HISTORY = "events.max_history";
  public static final String SYNC_MAX_HISTORY = "sync.max_history";
  public static final String BLACKLIST_BASE_MS = "nodes.blacklist_base_ms";
  public static final String HEARTBEAT_INTERVAL_MS = "nodes.heartbeat_interval_ms";
  public static final String SUSPECT_AFTER_MS = "nodes.suspect_after_ms";
  public static final String DEAD_AFTER_MS = "nodes.dead_after_ms";
  public static final String POPULATOR_TARGET_DEPTH = "populator.target_depth";
  public static final String POPULATOR_MAX_PER_CYCLE = "populator.max_per_cycle";

  public static final String SYNC_PER_HOST_BYTES_PER_S = "sync.per_host_bytes_per_s";
  public static final String SYNC_TOTAL_BYTES_PER_S = "sync.total_bytes_per_s";
  public static final String SYNC_MAX_ATTEMPTS = "sync.max_attempts";
  public static final String SYNC_MAX_PLANS_PER_CYCLE = "sync.max_plans_per_cycle";
  public static final String SYNC_STALL_MS = "sync.stall_ms";

  private ConfigKeys() {}

  /** The node selector that receives datasets of {@code kind} (see the state machine's NodeSelector). */
  public static String syncRouteKey(String kind) {
    return "sync.route." + kind;
  }

  public static String timeoutKey(WorkType type) {
    return "queue.timeout_ms." + WorkTypes.name(type);
  }

  public static String pendingCapKey(WorkType type) {
    return "queue.pending_cap." + WorkTypes.name(type);
  }
}
