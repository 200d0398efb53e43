package org.ringrift.cluster.node.monitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.proto.Alert;

/**
 * Evaluates the four built-in alerts over a stream of samples. Pure: time comes from the samples,
 * so tests feed it moments instead of waiting for them.
 */
final class AlertState {
  static final String DAEMON_RESTARTS = "daemon_restarts_high";
  static final String QUEUE_EMPTY = "queue_empty";
  static final String NO_COMPLETIONS = "no_completed_work";
  static final String LEADER_FLAPPING = "leader_changes_high";
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

  AlertState(AlertRules rules, long startedMs) {
    this.rules = rules;
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
    return alerts;
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
