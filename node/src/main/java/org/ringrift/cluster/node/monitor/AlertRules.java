package org.ringrift.cluster.node.monitor;

import java.time.Duration;

/** Thresholds of the four alerts the original runbook defined. */
public record AlertRules(
    int maxDaemonRestartsPerHour,
    Duration maxQueueEmpty,
    Duration maxWithoutCompletion,
    int maxLeaderChangesPerHour) {

  public static AlertRules defaults() {
    return new AlertRules(3, Duration.ofMinutes(10), Duration.ofMinutes(30), 3);
  }
}
