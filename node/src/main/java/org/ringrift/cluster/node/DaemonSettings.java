package org.ringrift.cluster.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.daemons.DaemonSpec.RestartPolicy;
import org.ringrift.cluster.proto.WorkType;

/**
 * How often this node's daemons run, and what this node offers to the cluster.
 * {@code failedRetryInterval}: how often a daemon past its restart cap (FAILED) is tried again.
 */
public record DaemonSettings(
    Duration heartbeatInterval,
    Duration leaderTickInterval,
    Duration reaperFailoverGrace,
    Duration retentionInterval,
    Duration desiredStatePollInterval,
    List<String> roles,
    List<String> capabilities,
    boolean populate,
    Map<WorkType, List<String>> workCommands,
    int workerSlots,
    Duration workerLease,
    Duration failedRetryInterval) {

  public DaemonSettings {
    roles = List.copyOf(roles);
    capabilities = List.copyOf(capabilities);
    workCommands = Map.copyOf(workCommands);
    for (Duration d : List.of(heartbeatInterval, leaderTickInterval, retentionInterval, desiredStatePollInterval)) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("daemon intervals must be positive");
      }
    }
    java.util.Objects.requireNonNull(failedRetryInterval, "failedRetryInterval");
    if (failedRetryInterval.isZero() || failedRetryInterval.isNegative()) {
      throw new IllegalArgumentException("failed daemon retry interval must be positive, got " + failedRetryInterval);
    }
  }

  /** With the default retry of a FAILED daemon: every 5 minutes. */
  public DaemonSettings(Duration heartbeatInterval, Duration leaderTickInterval, Duration reaperFailoverGrace,
      Duration retentionInterval, Duration desiredStatePollInterval, List<String> roles, List<String> capabilities,
      boolean populate, Map<WorkType, List<String>> workCommands, int workerSlots, Duration workerLease) {
    this(heartbeatInterval, leaderTickInterval, reaperFailoverGrace, retentionInterval, desiredStatePollInterval, roles,
        capabilities, populate, workCommands, workerSlots, workerLease, RestartPolicy.DEFAULT_FAILED_RETRY);
  }

  /** How this node's daemons are restarted: the daemons module's backoff and cap, this node's retry of FAILED ones. */
  public RestartPolicy restartPolicy() {
    return RestartPolicy.defaults().withFailedRetryInterval(failedRetryInterval);
  }

  /** The original system's timings: heartbeat 15 s; the reaper waits 30 s after a failover. */
  public static DaemonSettings defaults() {
    return new DaemonSettings(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(2), List.of("voter"), List.of(), true, Map.of(), 2,
        Duration.ofMinutes(1));
  }

  /** Short timings for tests and the dev cluster, so that things happen while a person watches. */
  public static DaemonSettings fast() {
    return new DaemonSettings(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofMillis(500), List.of("voter"), List.of(), false, Map.of(), 2,
        Duration.ofSeconds(5));
  }

  /** The same settings, running this node as a worker with these commands. */
  public DaemonSettings withWorker(Map<WorkType, List<String>> commands, int slots, Duration lease) {
    return new DaemonSettings(heartbeatInterval, leaderTickInterval, reaperFailoverGrace, retentionInterval,
        desiredStatePollInterval, roles, capabilities, populate, commands, slots, lease, failedRetryInterval);
  }

  /** The same settings, retrying FAILED daemons every {@code interval}. */
  public DaemonSettings withFailedRetry(Duration interval) {
    return new DaemonSettings(heartbeatInterval, leaderTickInterval, reaperFailoverGrace, retentionInterval,
        desiredStatePollInterval, roles, capabilities, populate, workCommands, workerSlots, workerLease, interval);
  }
}
