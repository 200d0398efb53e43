package org.ringrift.cluster.contract.names;

import java.util.Set;

/** The event catalogue: the original system's event names that this system emits. */
public final class EventTypes {
  /** The work flow itself, so that rrctl events watch shows work moving; the event log's limit applies. */
  public static final String WORK_ENQUEUED = "WORK_ENQUEUED";
  public static final String WORK_CLAIMED = "WORK_CLAIMED";
  public static final String WORK_COMPLETED = "WORK_COMPLETED";
  public static final String WORK_FAILED = "WORK_FAILED";
  public static final String WORK_RETRY = "WORK_RETRY";
  public static final String WORK_TIMEOUT = "WORK_TIMEOUT";
  public static final String WORK_CANCELLED = "WORK_CANCELLED";
  public static final String WORK_REDRIVEN = "WORK_REDRIVEN";
  /** rrctl queue priority: a pending item's priority changed; the message is "priority OLD -> NEW". */
  public static final String WORK_PRIORITY_CHANGED = "WORK_PRIORITY_CHANGED";
  public static final String BACKPRESSURE_ACTIVATED = "BACKPRESSURE_ACTIVATED";
  public static final String BACKPRESSURE_RELEASED = "BACKPRESSURE_RELEASED";
  public static final String NODE_JOINED = "NODE_JOINED";
  public static final String NODE_SUSPECT = "NODE_SUSPECT";
  public static final String NODE_DEAD = "NODE_DEAD";
  public static final String NODE_RECOVERED = "NODE_RECOVERED";
  public static final String NODE_BLACKLISTED = "NODE_BLACKLISTED";
  public static final String NODE_UNBLACKLISTED = "NODE_UNBLACKLISTED";
  public static final String NODE_DRAINING = "NODE_DRAINING";
  public static final String LEADER_ELECTED = "LEADER_ELECTED";
  public static final String CONFIG_CHANGED = "CONFIG_CHANGED";
  public static final String DAEMON_ENABLED = "DAEMON_ENABLED";
  public static final String DAEMON_DISABLED = "DAEMON_DISABLED";
  public static final String DATA_SYNC_STARTED = "DATA_SYNC_STARTED";
  public static final String DATA_SYNC_COMPLETED = "DATA_SYNC_COMPLETED";
  public static final String DATA_SYNC_FAILED = "DATA_SYNC_FAILED";
  /** Published by operators and tools through the admin API. */
  public static final String OPERATOR_NOTE = "OPERATOR_NOTE";
  /** rrctl sync trigger: subject is the dataset, message the target node or empty; the sync planner plans at once. */
  public static final String SYNC_TRIGGERED = "SYNC_TRIGGERED";

  /** Types a client may publish; the rest are emitted by apply only. */
  public static final Set<String> PUBLISHABLE = Set.of(OPERATOR_NOTE, SYNC_TRIGGERED);

  private EventTypes() {}
}
