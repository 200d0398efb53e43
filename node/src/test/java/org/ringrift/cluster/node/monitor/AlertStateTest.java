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
  final AlertState alerts = new AlertState(AlertRules.defaults(), 0);

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

  @Test
  void daemonRestartsAboveThreeInAnHourFire() {
    assertThat(at(0, "n1", 5, 0, 3)).containsEntry("daemon_restarts_high", false);
    assertThat(at(MINUTE, "n1", 5, 1, 4)).containsEntry("daemon_restarts_high", true);
  }
}
