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
      RaftNode node = new RaftNode(RaftNodeConfig.of(spec, member.id(), dir.resolve(member.id()), settings,
          QueueLimits.defaults(), Clock.systemUTC()));
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

  @Test
  void leaderTransferCompletesOnceTheAskingNodeKnowsTheNewLeader() throws Exception {
    startCluster(RaftSettings.defaults());
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().filter(n -> n.gate().readyTerm().isPresent())
        .count() == 1);
    RaftNode leader = nodes.stream().filter(n -> n.gate().readyTerm().isPresent()).findFirst().orElseThrow();
    RaftNode target = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();

    leader.transferLeadership(target.id(), 10_000).get(15, java.util.concurrent.TimeUnit.SECONDS);

    // No wait here: the transfer completed on the asking node's own leader-changed event.
    assertThat(leader.leaderId()).isEqualTo(target.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> target.gate().readyTerm().isPresent());
  }

  @Test
  void concurrentWritesOfOneNodeShareRaftEntries() throws Exception {
    startCluster(RaftSettings.defaults());
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().anyMatch(n -> n.gate().readyTerm().isPresent()));
    RaftNode leader = nodes.stream().filter(n -> n.gate().readyTerm().isPresent()).findFirst().orElseThrow();
    long entriesBefore = leader.commandsPerEntry().entries();
    long commandsBefore = leader.commandsPerEntry().commands();

    List<java.util.concurrent.CompletableFuture<org.ringrift.cluster.proto.CommandResult>> results = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      results.add(leader.client().submit(Command.newBuilder().setEnqueue(EnqueueRequest.newBuilder()
          .setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50).setIdempotencyKey("k" + i))));
    }

    java.util.Set<String> ids = new java.util.HashSet<>();
    for (var result : results) {
      var answer = result.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.hasEnqueue()).as("each write gets its own answer: %s", answer).isTrue();
      ids.add(answer.getEnqueue().getItem().getId());
    }
    assertThat(ids).hasSize(300);
    long entries = leader.commandsPerEntry().entries() - entriesBefore;
    long commands = leader.commandsPerEntry().commands() - commandsBefore;
    assertThat(commands).isGreaterThanOrEqualTo(300);
    assertThat(entries).as("300 writes proposed at once fill fewer than 300 entries").isLessThan(300);
    long[] sizes = leader.client().batching().sizeHistogram();
    System.out.printf("group commit: %d commands in %d entries; batches by size bucket %s%n", commands, entries,
        java.util.Arrays.toString(sizes));
    await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().map(n -> n.view().appliedIndex()).distinct().count() == 1);
    assertThat(nodes.stream().map(this::localDigest).distinct()).hasSize(1);
  }

  @Test
  void readsThatArriveTogetherShareOneReadIndexRoundAndSeeEveryEarlierWrite() throws Exception {
    startCluster(RaftSettings.defaults());
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().anyMatch(n -> n.gate().readyTerm().isPresent()));
    RaftNode leader = nodes.stream().filter(n -> n.gate().readyTerm().isPresent()).findFirst().orElseThrow();
    RaftNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();

    for (int round = 1; round <= 5; round++) {
      // A write acknowledged by the leader, then many reads at a follower: each must see it.
      leader.client().submit(Command.newBuilder().setEnqueue(EnqueueRequest.newBuilder()
          .setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50))).get(10, java.util.concurrent.TimeUnit.SECONDS);
      long barriersBefore = follower.client().readBarriers().count();
      List<java.util.concurrent.CompletableFuture<org.ringrift.cluster.proto.QueryResult>> reads = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        reads.add(follower.client().read(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build()));
      }
      for (var read : reads) {
        assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS).getQueueStats().getPending()).isEqualTo(round);
      }
      long barriers = follower.client().readBarriers().count() - barriersBefore;
      assertThat(barriers).as("ReadIndex rounds for 100 reads issued at once").isBetween(1L, 10L);
    }
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
