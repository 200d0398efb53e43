package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.daemons.DaemonState;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ExpireLeasesRequest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

class LeaderDaemonsTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static DaemonState state(LocalCluster cluster, int node, String daemon) {
    return cluster.node(node).daemons().status(daemon).orElseThrow().state();
  }

  private static boolean leaderDaemonsOnlyOn(LocalCluster cluster, int leader) {
    for (int i = 0; i < cluster.size(); i++) {
      if (!cluster.isRunning(i)) {
        continue;
      }
      DaemonState expected = i == leader ? DaemonState.RUNNING : DaemonState.STANDBY;
      for (String daemon : new String[] {"job_reaper", "node_liveness", "retention"}) {
        if (state(cluster, i, daemon) != expected) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void leaderDaemonsRunOnExactlyTheReadyLeaderAndMoveWithLeadership() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults())) {
      ClusterClient client = cluster.client();
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int leader = cluster.readyLeader().orElseThrow();
      await().atMost(CONVERGE).until(() -> leaderDaemonsOnlyOn(cluster, leader));
      await().atMost(CONVERGE).until(() -> client.listNodes().stream()
          .filter(n -> n.getHealth() == NodeHealth.NODE_HEALTH_ALIVE).count() == 3);
      long oldTerm = cluster.node(leader).raft().gate().readyTerm().orElseThrow();

      long stoppedAt = System.nanoTime();
      cluster.stop(leader);
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int next = cluster.readyLeader().orElseThrow();
      await().atMost(CONVERGE).until(() -> leaderDaemonsOnlyOn(cluster, next));
      System.out.printf("leader daemons running on the new leader %d ms after the old leader stopped%n",
          (System.nanoTime() - stoppedAt) / 1_000_000);
      long newTerm = cluster.node(next).daemons().status("job_reaper").orElseThrow().leaderTerm();
      assertThat(newTerm).isGreaterThan(oldTerm);

      // The deposed leader's reaper, or anyone, proposing in the old term: applied nowhere.
      long fencedBefore = client.queueStats().getFencedRejections();
      CommandResult stale = cluster.node(next).raft().client().submit(Command.newBuilder().setExpectedTerm(oldTerm)
          .setExpireLeases(ExpireLeasesRequest.newBuilder().setMaxItems(10))).get();
      assertThat(stale.getRejected().getCode()).isEqualTo(RejectCode.REJECT_FENCED);
      assertThat(client.queueStats().getFencedRejections()).isEqualTo(fencedBefore + 1);
    }
  }

  @Test
  void reaperReturnsTheItemsOfAWorkerThatStoppedExtending() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults())) {
      ClusterClient client = cluster.client();
      WorkItem item = client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
          .setPriority(50).build()).getItem();
      WorkItem claimed = client.claim(ClaimRequest.newBuilder().setWorkerId("gone-w").setNodeId("gone-node")
          .setLeaseMs(1_000).build()).getItems(0);
      assertThat(claimed.getId()).isEqualTo(item.getId());

      // The worker dies: nobody extends. The reaper, after its failover grace, expires the lease.
      await().atMost(CONVERGE).until(() -> client.getItem(item.getId()).getState() == WorkState.WORK_STATE_PENDING);
      WorkItem back = client.getItem(item.getId());
      assertThat(back.getExcludedNodesList()).contains("gone-node");
      assertThat(back.getLastError()).isEqualTo("lease expired");
      assertThat(client.queueStats().getLeasesExpired()).isEqualTo(1);
      assertThat(client.listNodes()).anySatisfy(n -> {
        assertThat(n.getNodeId()).isEqualTo("gone-node");
        assertThat(n.getFailureCount()).isEqualTo(1);
      });
    }
  }

  @Test
  void aDaemonStoppedClusterWideStaysStoppedAcrossFailover() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults())) {
      ClusterClient client = cluster.client();
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      client.setDaemonDesired("job_reaper", false);
      await().atMost(CONVERGE).until(() -> allInState(cluster, "job_reaper", DaemonState.STOPPED));

      int leader = cluster.readyLeader().orElseThrow();
      cluster.stop(leader);
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int next = cluster.readyLeader().orElseThrow();
      await().atMost(CONVERGE).until(() -> state(cluster, next, "node_liveness") == DaemonState.RUNNING);
      assertThat(state(cluster, next, "job_reaper")).isEqualTo(DaemonState.STOPPED);

      client.setDaemonDesired("job_reaper", true);
      await().atMost(CONVERGE).until(() -> state(cluster, next, "job_reaper") == DaemonState.RUNNING);
    }
  }

  @Test
  void leadershipCanBeHandedToAChosenVoterAndTheDaemonsFollow() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults())) {
      ClusterClient client = cluster.client();
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int leader = cluster.readyLeader().orElseThrow();
      int target = (leader + 1) % 3;
      String targetId = "n" + (target + 1);
      assertThat(client.members()).hasSize(3).filteredOn(m -> m.getIsLeader()).hasSize(1);

      client.transferLeader(targetId);

      await().atMost(CONVERGE).until(() -> cluster.readyLeader().orElse(-1) == target);
      await().atMost(CONVERGE).until(() -> leaderDaemonsOnlyOn(cluster, target));
      // The new leader records itself once ready, asynchronously: the history may still be empty.
      await().atMost(CONVERGE).until(() -> client.leaderHistory(1).stream()
          .anyMatch(record -> record.getLeaderId().equals(targetId)));
    }
  }

  private static boolean allInState(LocalCluster cluster, String daemon, DaemonState expected) {
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.isRunning(i) && state(cluster, i, daemon) != expected) {
        return false;
      }
    }
    return true;
  }
}
