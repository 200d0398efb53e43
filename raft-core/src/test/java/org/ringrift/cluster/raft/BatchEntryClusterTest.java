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
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ExpireLeasesRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/** A batch entry (group commit) through three real Ratis servers, and its replay after a restart. */
class BatchEntryClusterTest {
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

  private RaftNode startNode(Member member) throws IOException {
    RaftNode node = new RaftNode(RaftNodeConfig.of(spec, member.id(), dir.resolve(member.id()),
        RaftSettings.defaults(), QueueLimits.defaults(), Clock.systemUTC()));
    node.start();
    return node;
  }

  private static Command enqueue(String payload, long nowMs) {
    return Command.newBuilder().setNowMs(nowMs).setEnqueue(EnqueueRequest.newBuilder()
        .setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50).setPayload(ByteString.copyFromUtf8(payload))).build();
  }

  @Test
  void aBatchEntryAnswersPerCommandAndEveryReplicaAppliesItTheSame() throws Exception {
    int base = TestPorts.freeBlock(3);
    spec = new ClusterSpec("batch", List.of(new Member("n1", "127.0.0.1", base),
        new Member("n2", "127.0.0.1", base + 1), new Member("n3", "127.0.0.1", base + 2)));
    for (Member member : spec.members()) {
      nodes.add(startNode(member));
    }
    long now = System.currentTimeMillis();
    CommandBatch batch = CommandBatch.newBuilder()
        .addCommands(enqueue("a", now))
        .addCommands(Command.newBuilder().setNowMs(now).setCancel(CancelRequest.newBuilder().setItemId("w-999")))
        .addCommands(enqueue("b", now))
        // No Raft term is anywhere near this high: fenced, whichever term the entry commits in.
        .addCommands(Command.newBuilder().setNowMs(now).setExpectedTerm(1_000_000)
            .setExpireLeases(ExpireLeasesRequest.newBuilder().setMaxItems(1)))
        .build();

    CommandResult result = nodes.get(1).client().submit(Command.newBuilder().setBatch(batch)).get();

    assertThat(result.getBodyCase()).isEqualTo(CommandResult.BodyCase.BATCH);
    List<CommandResult> results = result.getBatch().getResultsList();
    assertThat(results).extracting(CommandResult::getBodyCase).containsExactly(CommandResult.BodyCase.ENQUEUE,
        CommandResult.BodyCase.REJECTED, CommandResult.BodyCase.ENQUEUE, CommandResult.BodyCase.REJECTED);
    assertThat(results.get(1).getRejected().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(results.get(3).getRejected().getCode()).isEqualTo(RejectCode.REJECT_FENCED);
    assertThat(results.get(2).getEnqueue().getItem().getId()).isEqualTo("w-2");
    assertThat(nodes.get(2).client().read(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance())
        .build()).get().getQueueStats().getFencedRejections()).isEqualTo(1);
    DigestResult before = awaitSameDigest();

    // A restarted replica replays its Raft log over a store that already holds the batch.
    RaftNode restarted = nodes.remove(0);
    restarted.close();
    nodes.add(0, startNode(spec.members().get(0)));
    nodes.get(0).client().submit(Command.newBuilder().setEnqueue(EnqueueRequest.newBuilder()
        .setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(1))).get();

    DigestResult after = awaitSameDigest();
    assertThat(after.getAppliedIndex()).isGreaterThan(before.getAppliedIndex());
    assertThat(after.getDigest()).isNotEqualTo(before.getDigest());
  }

  /** Waits until every replica has applied the same index, then requires equal digests. */
  private DigestResult awaitSameDigest() {
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().map(n -> n.view().appliedIndex()).distinct().count() == 1);
    List<DigestResult> digests = nodes.stream().map(BatchEntryClusterTest::localDigest).toList();
    assertThat(digests).extracting(DigestResult::getDigest).as("digests at index %s", digests.get(0).getAppliedIndex())
        .containsOnly(digests.get(0).getDigest());
    return digests.get(0);
  }

  private static DigestResult localDigest(RaftNode node) {
    try {
      return node.client().readLocal(Query.newBuilder().setDigest(DigestRequest.getDefaultInstance()).build()).getDigest();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
