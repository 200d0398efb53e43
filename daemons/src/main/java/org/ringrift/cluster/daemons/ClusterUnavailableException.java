package org.ringrift.cluster.daemons;

/**
 * The cluster did not answer in time (no leader, a partition, the members unreachable). Not a
 * fault of the daemon: its runner skips the tick and tries again next interval, without counting
 * a crash, so a network outage cannot use up the restart budget meant for bugs.
 */
public final class ClusterUnavailableException extends Exception {
  public ClusterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
