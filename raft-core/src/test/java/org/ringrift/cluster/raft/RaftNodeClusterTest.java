package org.ringrift.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/** Three real Ratis servers over gRPC on loopback, each with its own RocksDB. */
class RaftNodeClusterTest {
  @TempDir Path dir;
  final List<RaftNode> nodes = new ArrayList<>();
  ClusterSpec spec;

  @BeforeAll
  static void noSystemExit() {
    ExitUtils.disableSystemExit();
  }

  @AfterEach
  void stop() throws IOException {
    for (RaftNode node : nodes) {
      node.close();
    }
  }

  void startCluster(RaftSettings settings) throws IOException {
    int base = TestPorts.freeBlock(3);
    spec = new ClusterSpec("test", List.of(
        new Member("n1", "127.0.0.1", base), new Member("n2", "127.0.0.1", base + 1),
        new Member("n3", "127.0.0.1", base + 2)));
    for (Member member : spec.members()) {
      RaftNode node = new RaftNode(spec, member.id(), dir.resolve(member.id()), settings,
          QueueLimits.defaults(), Clock.systemUTC());
      node.start();
      nodes.add(node);
    }
  }

  @Test
  void writesReplicateAndExactlyOneNodeIsReadyLeader() throws Exception {
    startCluster(RaftSettings.defaults());

    for (int i = 0; i < 20; i++) {
      nodes.get(i % 3).client().submit(Command.newBuilder().setEnqueue(EnqueueRequest.newBuilder()
          .setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50).setPayload(ByteString.copyFromUtf8("p" + i)))).get();
    }

    long pending = nodes.get(2).client().read(Query.newBuilder()
        .setQueueStats(QueueStatsRequest.getDefaultInstance()).build()).get().getQueueStats().getPending();
    assertThat(pending).isEqualTo(20);
    await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().filter(n -> n.gate().readyTerm().isPresent()).count() == 1);
    RaftNode leader = nodes.stream().filter(n -> n.view().isLeader()).findFirst().orElseThrow();
    assertThat(leader.gate().readyTerm()).isEqualTo(Optional.of(leader.view().term()));
    await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().map(n -> n.view().appliedIndex()).distinct().count() == 1);
    assertThat(nodes.stream().map(this::localDigest).distinct()).hasSize(1);
  }

  private String localDigest(RaftNode node) {
    try {
      return node.client().read(Query.newBuilder().setDigest(DigestRequest.getDefaultInstance()).build())
          .get().getDigest().getDigest();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
