package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.NodeStatus;

/**
 * Measures, on real processes, kill -9 of the leader to leader daemons RUNNING on the new leader.
 * A measurement, not a check of a target: off by default, run with -Dchaos.failoverTiming=true.
 */
@EnabledIfSystemProperty(named = "chaos.failoverTiming", matches = "true")
class FailoverTimingIT {
  @TempDir Path dir;

  @Test
  void killTheLeaderRepeatedlyAndTimeTheDaemonsComingBack() throws Exception {
    int kills = Integer.getInteger("chaos.kills", 7);
    List<Long> millis = new ArrayList<>();
    try (ChaosCluster cluster = new ChaosCluster(dir, ChaosCluster.Options.of(3))) {
      for (int k = 0; k < kills; k++) {
        int leader = await().atMost(Duration.ofSeconds(60)).until(() -> leaderIndex(cluster), Optional::isPresent).get();
        long oldTerm = cluster.statusOf(leader).orElseThrow().getTerm();
        await().atMost(Duration.ofSeconds(60)).until(() -> reaperRunning(cluster, leader, oldTerm - 1));
        long killedAt = System.nanoTime();
        cluster.kill(leader);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> otherReaperRunning(cluster, leader, oldTerm));
        millis.add((System.nanoTime() - killedAt) / 1_000_000);
        cluster.start(leader);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.statusOf(leader).isPresent());
      }
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf("failover kill -9 -> leader daemons running: runs=%s min=%d median=%d max=%d ms%n",
        millis, sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    assertThat(millis).hasSize(kills);
  }

  private static Optional<Integer> leaderIndex(ChaosCluster cluster) {
    for (int i = 0; i < cluster.size(); i++) {
      Optional<NodeStatus> status = cluster.statusOf(i);
      if (status.isPresent() && status.get().getIsLeader() && status.get().getLeaderReady()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static boolean reaperRunning(ChaosCluster cluster, int node, long afterTerm) {
    try {
      for (DaemonInfo daemon : cluster.admin().listDaemons(cluster.endpoint(node)).getDaemonsList()) {
        if (daemon.getName().equals("job_reaper")) {
          return daemon.getState().equals("RUNNING") && daemon.getLeaderTerm() > afterTerm;
        }
      }
    } catch (RuntimeException notYet) {
      return false;
    }
    return false;
  }

  private static boolean otherReaperRunning(ChaosCluster cluster, int killed, long oldTerm) {
    for (int i = 0; i < cluster.size(); i++) {
      if (i != killed && reaperRunning(cluster, i, oldTerm)) {
        return true;
      }
    }
    return false;
  }
}
