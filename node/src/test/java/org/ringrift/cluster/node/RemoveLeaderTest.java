package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;
import org.ringrift.cluster.raft.RaftView;

/**
 * The leader is removed from the configuration, loses its data, and comes back through the
 * documented procedure (docs/OPERATIONS.md: remove, wipe, rrnode --join, add): it must end a
 * voter with the same state as the others. The second case is chaos bug 4: a leader elected while
 * the removal's joint configuration was uncommitted kept a log appender for the removed node, and
 * Ratis refused to add it back ("Found duplicated element").
 */
class RemoveLeaderTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aRemovedLeaderRejoinsWipedAndIsAddedBackAsAVoter() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      int leader = await().atMost(CONVERGE).until(cluster::readyLeader, java.util.Optional::isPresent).get();
      enqueue(client, 20);
      String id = cluster.config(leader).nodeId();

      assertThat(client.removeMember(id)).extracting(Member::getId).doesNotContain(id);
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().filter(l -> l != leader).isPresent());

      rejoinWiped(cluster, leader);
      assertAddedBackAsAVoter(cluster, client, leader);
    }
  }

  /**
   * The removal cannot commit while a follower is down (the new configuration of two needs both),
   * so the joint configuration reaches the other follower uncommitted; the leader is stopped, the
   * follower comes back, and the other follower is elected under the joint configuration.
   */
  @Test
  void aLeaderElectedDuringTheRemovalAddsTheRemovedLeaderBack() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      int leader = await().atMost(CONVERGE).until(cluster::readyLeader, java.util.Optional::isPresent).get();
      enqueue(client, 20);
      int down = (leader + 1) % 3;
      int successor = (leader + 2) % 3;
      String id = cluster.config(leader).nodeId();
      cluster.stop(down);

      List<RaftView.MemberView> members = cluster.node(leader).raft().members();
      List<RaftView.MemberView> rest = members.stream().filter(m -> !m.id().equals(id)).toList();
      cluster.node(leader).raft().replaceMembers(members, rest); // cannot commit: its outcome is not awaited
      await().atMost(CONVERGE).until(() -> cluster.node(successor).raft().members().stream()
          .noneMatch(m -> m.id().equals(id)));
      cluster.stop(leader);
      cluster.start(down);
      int elected = await().atMost(CONVERGE).until(cluster::readyLeader, java.util.Optional::isPresent).get();
      assertThat(elected).as("the follower that holds the joint configuration wins").isEqualTo(successor);

      rejoinWiped(cluster, leader);
      assertAddedBackAsAVoter(cluster, client, leader);
    }
  }

  private static void enqueue(ClusterClient client, int count) {
    for (int i = 0; i < count; i++) {
      client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50).build());
    }
  }

  private static void rejoinWiped(LocalCluster cluster, int node) throws Exception {
    if (cluster.isRunning(node)) {
      cluster.stop(node);
    }
    deleteRecursively(cluster.dataDir(node));
    cluster.startJoining(node);
  }

  private static void assertAddedBackAsAVoter(LocalCluster cluster, ClusterClient client, int node) {
    NodeConfig config = cluster.config(node);
    client.addMember(config.nodeId(), config.self().address(), false);

    // Any node answers, and the one asked may learn of the committed configuration a moment later.
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(client.members())
        .extracting(Member::getId, Member::getRole)
        .containsExactlyInAnyOrder(tuple("n1", "VOTER"), tuple("n2", "VOTER"), tuple("n3", "VOTER")));
    await().atMost(CONVERGE).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
