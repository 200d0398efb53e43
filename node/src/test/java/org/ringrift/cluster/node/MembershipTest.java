package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

class MembershipTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aJoinedNodeCatchesUpAsAVoterAndAMemberCanBeRemoved() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      for (int i = 0; i < 20; i++) {
        client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50).build());
      }
      NodeService n4 = cluster.startJoiner("n4");
      assertThat(client.members()).extracting(Member::getId).containsExactlyInAnyOrder("n1", "n2", "n3");

      List<Member> members = client.addMember("n4", n4.config().self().address(), false);

      assertThat(members).extracting(Member::getId).contains("n4");
      assertThat(members).filteredOn(m -> m.getId().equals("n4")).singleElement()
          .satisfies(m -> assertThat(m.getRole()).isEqualTo("VOTER"));
      Endpoint n4Admin = new Endpoint("127.0.0.1", n4.config().adminPort());
      try (ClusterClient n4Client = new ClusterClient(List.of(n4Admin), Duration.ofSeconds(10))) {
        await().atMost(CONVERGE).until(() -> n4.raft().view().appliedIndex() >= cluster.node(0).raft().view().appliedIndex());
        assertThat(n4Client.queueStatsOf(n4Admin).getPending()).isEqualTo(20);
        await().atMost(CONVERGE).until(() -> n4Client.digestOf(n4Admin).getDigest()
            .equals(client.digestOf(cluster.endpoint(0)).getDigest()));
      }

      String leader = client.status().getLeaderId();
      String victim = List.of("n1", "n2", "n3").stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      assertThat(client.removeMember(victim)).extracting(Member::getId).doesNotContain(victim).hasSize(3);
      client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TRAINING).setPriority(90).build());
      assertThat(client.queueStats().getPending()).isEqualTo(21);
    }
  }
}
