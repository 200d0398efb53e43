package org.ringrift.cluster.node.monitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.daemons.DaemonState;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.proto.Alert;

/**
 * Evaluates the built-in alerts over a stream of samples: the original runbook's four, and
 * {@code daemon_failed}, one per FAILED daemon of this node. Pure: time comes from the samples,
 * so tests feed it moments instead of waiting for them.
 */
final class AlertState {
  static final String DAEMON_RESTARTS = AlertCatalog.DAEMON_RESTARTS;
  static final String QUEUE_EMPTY = AlertCatalog.QUEUE_EMPTY;
  static final String NO_COMPLETIONS = AlertCatalog.NO_COMPLETIONS;
  static final String LEADER_FLAPPING = AlertCatalog.LEADER_FLAPPING;
  static final String DAEMON_FAILED = AlertCatalog.DAEMON_FAILED;
  /** Enough of a daemon's last error to say what it was; exception messages have no length limit. */
  private static final int MAX_ERROR_IN_DETAIL = 300;
  private static final long HOUR_MS = 3_600_000L;
  private static final int MAX_REMEMBERED_CHANGES = 1000;

  private final AlertRules rules;
  private final Deque<Long> leaderChangesMs = new ArrayDeque<>();
  private String lastLeader;
  private long queueNonEmptyAtMs = -1;
  private long lastCompleted = -1;
  private long lastCompletionChangeMs = -1;
  private final long startedMs;
  private final long[] firingSince = new long[4];
  private final String nodeId;
  /** When each daemon that is FAILED now was first seen FAILED; holds at most one entry per daemon. */
  private final Map<String, Long> failedSinceMs = new LinkedHashMap<>();

  AlertState(AlertRules rules, String nodeId, long startedMs) {
    this.rules = rules;
    this.nodeId = nodeId;
    this.startedMs = startedMs;
  }

  synchronized List<Alert> update(Sample sample) {
    long now = sample.nowMs();
    trackLeader(sample.leaderId(), now);
    if (sample.queue() != null) {
      if (sample.queue().getPending() > 0 || queueNonEmptyAtMs < 0) {
        queueNonEmptyAtMs = now;
      }
      if (sample.queue().getCompleted() != lastCompleted) {
        lastCompleted = sample.queue().getCompleted();
        lastCompletionChangeMs = now;
      }
    }
    List<Alert> alerts = new ArrayList<>();
    DaemonStatus worst = sample.daemons().stream()
        .max(java.util.Comparator.comparingInt(DaemonStatus::restartsLastHour)).orElse(null);
    int restarts = worst == null ? 0 : worst.restartsLastHour();
    alerts.add(alert(0, DAEMON_RESTARTS, restarts > rules.maxDaemonRestartsPerHour(), now,
        worst == null ? "" : worst.name() + " restarted " + restarts + " times in the last hour"));
    long emptyFor = queueNonEmptyAtMs < 0 ? 0 : now - queueNonEmptyAtMs;
    alerts.add(alert(1, QUEUE_EMPTY, emptyFor > rules.maxQueueEmpty().toMillis(), now,
        "no pending work for " + emptyFor / 1000 + " s"));
    long quietFor = now - (lastCompletionChangeMs < 0 ? startedMs : lastCompletionChangeMs);
    alerts.add(alert(2, NO_COMPLETIONS, quietFor > rules.maxWithoutCompletion().toMillis(), now,
        "no item completed for " + quietFor / 1000 + " s"));
    while (!leaderChangesMs.isEmpty() && leaderChangesMs.peekFirst() < now - HOUR_MS) {
      leaderChangesMs.removeFirst();
    }
    alerts.add(alert(3, LEADER_FLAPPING, leaderChangesMs.size() > rules.maxLeaderChangesPerHour(), now,
        leaderChangesMs.size() + " leader changes seen in the last hour"));
    alerts.addAll(daemonFailed(sample.daemons(), now));
    return alerts;
  }

  /**
   * One firing alert per FAILED daemon, naming it and this node; one quiet alert when none is, so
   * that the alert is listed like the others. It clears when a retry (or an operator) brings the
   * daemon back, and fires again with a new {@code since_ms} if it fails again.
   */
  private List<Alert> daemonFailed(List<DaemonStatus> daemons, long now) {
    Map<String, Long> stillFailed = new LinkedHashMap<>();
    List<Alert> firing = new ArrayList<>();
    for (DaemonStatus daemon : daemons) {
      if (daemon.state() != DaemonState.FAILED) {
        continue;
      }
      long since = failedSinceMs.getOrDefault(daemon.name(), now);
      stillFailed.put(daemon.name(), since);
      String error = daemon.lastError().length() <= MAX_ERROR_IN_DETAIL ? daemon.lastError()
          : daemon.lastError().substring(0, MAX_ERROR_IN_DETAIL) + "...";
      firing.add(Alert.newBuilder().setName(DAEMON_FAILED).setFiring(true).setSinceMs(since)
          .setDetail("daemon " + daemon.name() + " on node " + nodeId + " is FAILED (past its restart cap; retried "
              + "every --daemon-failed-retry-ms): " + error)
          .build());
    }
    failedSinceMs.clear();
    failedSinceMs.putAll(stillFailed);
    if (firing.isEmpty()) {
      return List.of(Alert.newBuilder().setName(DAEMON_FAILED).setFiring(false)
          .setDetail("no daemon FAILED on node " + nodeId).build());
    }
    return firing;
  }

  private void trackLeader(String leaderId, long now) {
    if (leaderId.isEmpty()) {
      return;
    }
    if (lastLeader != null && !lastLeader.equals(leaderId)) {
      leaderChangesMs.addLast(now);
      if (leaderChangesMs.size() > MAX_REMEMBERED_CHANGES) {
        leaderChangesMs.removeFirst();
      }
    }
    lastLeader = leaderId;
  }

  private Alert alert(int slot, String name, boolean firing, long now, String detail) {
    if (!firing) {
      firingSince[slot] = 0;
    } else if (firingSince[slot] == 0) {
      firingSince[slot] = now;
    }
    return Alert.newBuilder().setName(name).setFiring(firing).setSinceMs(firingSince[slot]).setDetail(detail).build();
  }
}
