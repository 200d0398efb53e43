package org.ringrift.cluster.contract.names;

import java.util.List;

/** Every daemon name the cluster knows (snake case, as rrctl, metrics and the desired-state records spell them). */
public final class DaemonNames {
  public static final String EVENT_ROUTER = "event_router";
  public static final String HEARTBEAT = "heartbeat";
  public static final String WORKER_AGENT = "worker_agent";
  public static final String QUEUE_POPULATOR = "queue_populator";
  public static final String JOB_REAPER = "job_reaper";
  public static final String NODE_LIVENESS = "node_liveness";
  public static final String RETENTION = "retention";
  public static final String SYNC_PLANNER = "sync_planner";
  public static final String SYNC_EXECUTOR = "sync_executor";

  /** In catalog order. */
  public static final List<String> ALL = List.of(EVENT_ROUTER, HEARTBEAT, WORKER_AGENT, QUEUE_POPULATOR, JOB_REAPER,
      NODE_LIVENESS, RETENTION, SYNC_PLANNER, SYNC_EXECUTOR);

  private DaemonNames() {}
}
