package org.ringrift.cluster.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.daemons.DaemonSpec;
import org.ringrift.cluster.daemons.DaemonState;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.proto.QueueStats;

class AlertStateTest {
  private static final long MINUTE = 60_000;
  final AlertState alerts = new AlertState(AlertRules.defaults(), "n2", 0);

  private Map<String, Boolean> at(long nowMs, String leader, long pending, long completed, int restartsLastHour) {
    DaemonStatus daemon = new DaemonStatus("job_reaper", DaemonSpec.Scope.LEADER, DaemonState.RUNNING,
        restartsLastHour, restartsLastHour, "", 1, true);
    List<Alert> result = alerts.update(new Sample(nowMs, leader,
        QueueStats.newBuilder().setPending(pending).setCompleted(completed).build(), List.of(daemon)));
    return result.stream().collect(Collectors.toMap(Alert::getName, Alert::getFiring));
  }

  @Test
  void aHealthyClusterFiresNothing() {
    for (long t = 0; t <= 60 * MINUTE; t += MINUTE) {
      assertThat(at(t, "n1", 10, t / MINUTE, 0)).doesNotContainValue(true);
    }
  }

  @Test
  void emptyQueueFiresAfterTenMinutesAndClearsWhenWorkArrives() {
    at(0, "n1", 5, 0, 0);
    assertThat(at(10 * MINUTE, "n1", 0, 1, 0)).containsEntry("queue_empty", false);
    assertThat(at(10 * MINUTE + 1, "n1", 0, 2, 0)).containsEntry("queue_empty", true);
    assertThat(at(11 * MINUTE, "n1", 3, 3, 0)).containsEntry("queue_empty", false);
  }

  @Test
  void noCompletionsFiresAfterThirtyMinutes() {
    at(0, "n1", 5, 7, 0);
    assertThat(at(30 * MINUTE, "n1", 5, 7, 0)).containsEntry("no_completed_work", false);
    assertThat(at(30 * MINUTE + 1, "n1", 5, 7, 0)).containsEntry("no_completed_work", true);
    assertThat(at(31 * MINUTE, "n1", 5, 8, 0)).containsEntry("no_completed_work", false);
  }

  @Test
  void moreThanThreeLeaderChangesInAnHourFire() {
    String[] leaders = {"n1", "n2", "n1", "n2", "n3"};
    Map<String, Boolean> last = Map.of();
    for (int i = 0; i < leaders.length; i++) {
      last = at(i * MINUTE, leaders[i], 5, i, 0);
    }
    assertThat(last).containsEntry("leader_changes_high", true);
    assertThat(at(70 * MINUTE, "n3", 5, 10, 0)).containsEntry("leader_changes_high", false);
  }

  private List<Alert> daemonFailedAt(long nowMs, DaemonState heartbeat, DaemonState reaper) {
    List<DaemonStatus> daemons = List.of(
        new DaemonStatus("heartbeat", DaemonSpec.Scope.EVERY_NODE, heartbeat, 3, 3,
            "java.lang.IllegalStateException: raft client is closed", 0, true),
        new DaemonStatus("job_reaper", DaemonSpec.Scope.LEADER, reaper, 3, 3, "x".repeat(10_000), 1, true));
    return alerts.update(new Sample(nowMs, "n1", QueueStats.newBuilder().setPending(1).build(), daemons)).stream()
        .filter(a -> a.getName().equals("daemon_failed")).toList();
  }

  @Test
  void eachFailedDaemonFiresItsOwnDaemonFailedAlertNamingItAndTheNodeUntilItRunsAgain() {
    assertThat(daemonFailedAt(0, DaemonState.RUNNING, DaemonState.RUNNING)).singleElement()
        .satisfies(a -> assertThat(a.getFiring()).isFalse());

    List<Alert> one = daemonFailedAt(MINUTE, DaemonState.FAILED, DaemonState.RUNNING);
    assertThat(one).singleElement().satisfies(a -> {
      assertThat(a.getFiring()).isTrue();
      assertThat(a.getSinceMs()).isEqualTo(MINUTE);
      assertThat(a.getDetail()).contains("daemon heartbeat on node n2 is FAILED").contains("raft client is closed")
          .contains("--daemon-failed-retry-ms");
    });

    List<Alert> two = daemonFailedAt(2 * MINUTE, DaemonState.FAILED, DaemonState.FAILED);
    assertThat(two).hasSize(2).allMatch(Alert::getFiring);
    assertThat(two.get(0).getSinceMs()).as("still the moment heartbeat failed").isEqualTo(MINUTE);
    assertThat(two.get(1).getDetail()).contains("daemon job_reaper on node n2").hasSizeLessThan(500);
    assertThat(two.get(1).getSinceMs()).isEqualTo(2 * MINUTE);

    assertThat(daemonFailedAt(3 * MINUTE, DaemonState.RUNNING, DaemonState.RUNNING)).singleElement()
        .satisfies(a -> assertThat(a.getFiring()).isFalse());
    assertThat(daemonFailedAt(4 * MINUTE, DaemonState.FAILED, DaemonState.STANDBY)).singleElement()
        .satisfies(a -> assertThat(a.getSinceMs()).as("a new failure, a new since").isEqualTo(4 * MINUTE));
  }

  @Test
  void daemonRestartsAboveThreeInAnHourFire() {
    assertThat(at(0, "n1", 5, 0, 3)).containsEntry("daemon_restarts_high", false);
    assertThat(at(MINUTE, "n1", 5, 1, 4)).containsEntry("daemon_restarts_high", true);
  }
}
