package org.ringrift.cluster.daemons;

/** Life cycle of a daemon on one node. */
public enum DaemonState {
  /** Not running: never started, stopped by an operator, or disabled cluster-wide. */
  STOPPED,
  STARTING,
  RUNNING,
  /** A leader daemon on a node that is not the ready leader. */
  STANDBY,
  /** Crashed; the watchdog restarts it after a backoff. */
  BACKING_OFF,
  /**
   * Crashed more often than its restart cap allows; tried again once per failed-retry interval
   * until a retry runs (then RUNNING), or an operator restarts it.
   */
  FAILED
}
