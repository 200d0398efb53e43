package org.ringrift.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.AnnotateItemRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/**
 * On real Ratis servers: a member whose binary supports only level 1 stops applying at the entry
 * that raises the level, without skipping it or anything after it, while the others go on; back
 * on a binary that supports the level it applies what it held back and agrees with the others.
 */
class FeatureLevelClusterTest {
  private static final FeatureSupport OLD = FeatureLevels.BUILD.capped(1);

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

  private RaftNode start(String id, FeatureSupport features) throws IOException {
    RaftNode node = new RaftNode(RaftNodeConfig.of(spec, id, dir.resolve(id), WritesAfterOutageTest.SETTINGS,
        QueueLimits.defaults(), Clock.systemUTC()).withFeatures(features));
    node.start();
    nodes.add(node);
    return node;
  }

  private static Command.Builder enqueue() {
    return Command.newBuilder().setNowMs(System.currentTimeMillis())
        .setEnqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TRAINING));
  }

  private static DigestResult digest(RaftNode node) throws Exception {
    return node.client().readLocal(Query.newBuilder().setDigest(DigestRequest.getDefaultInstance()).build()).getDigest();
  }

  private void cluster() {
    int base = TestPorts.freeBlock(3);
    spec = new ClusterSpec("test", List.of(new Member("n1", "127.0.0.1", base),
        new Member("n2", "127.0.0.1", base + 1), new Member("n3", "127.0.0.1", base + 2)));
  }

  private static Command.Builder raise() {
    return Command.newBuilder().setNowMs(System.currentTimeMillis())
        .setSetFeatureLevel(SetFeatureLevelRequest.newBuilder().setLevel(2));
  }

  private static int level(RaftNode node) throws Exception {
    return node.client().readLocal(Query.newBuilder().setGetFeatureLevel(
        org.ringrift.cluster.proto.GetFeatureLevelRequest.getDefaultInstance()).build()).getFeatureLevel().getLevel();
  }

  @Test
  void anOldLeaderThatStopsApplyingHandsLeadershipToAnotherVoter() throws Exception {
    cluster();
    RaftNode n1 = start("n1", FeatureLevels.BUILD);
    start("n2", FeatureLevels.BUILD);
    RaftNode old = start("n3", OLD);
    await().atMost(Duration.ofSeconds(20)).until(() -> !n1.view().leaderId().isEmpty());
    if (!old.view().isLeader()) {
      n1.transferLeadership("n3", 10_000).get(15, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> old.view().leaderReady());

    // Committed through the old leader, which cannot apply it: its answer says so, the others apply it.
    CommandResult answer = n1.client().submit(raise()).get(10, TimeUnit.SECONDS);
    assertThat(answer.toString()).containsAnyOf("level: 2", "stopped applying");

    await().atMost(Duration.ofSeconds(20)).until(() -> old.applyHalted().isPresent()
        && !n1.view().leaderId().isEmpty() && !n1.view().leaderId().equals("n3"));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> level(n1) == 2);
    assertThat(n1.client().submit(enqueue()).get(10, TimeUnit.SECONDS).hasEnqueue()).isTrue();
  }

  @Test
  void anOldMemberStopsAtTheRaiseAndCatchesUpOnANewBinary() throws Exception {
    cluster();
    RaftNode n1 = start("n1", FeatureLevels.BUILD);
    start("n2", FeatureLevels.BUILD);
    RaftNode old = start("n3", OLD);
    await().atMost(Duration.ofSeconds(20)).until(() -> !n1.view().leaderId().isEmpty());
    if (old.view().isLeader()) {
      old.transferLeadership("n1", 10_000).get(15, TimeUnit.SECONDS);
    }
    String item = n1.client().submit(enqueue()).get(10, TimeUnit.SECONDS).getEnqueue().getItem().getId();

    CommandResult raised = n1.client().submit(Command.newBuilder().setNowMs(System.currentTimeMillis())
        .setSetFeatureLevel(SetFeatureLevelRequest.newBuilder().setLevel(2))).get(10, TimeUnit.SECONDS);
    assertThat(raised.getFeatureLevel().getLevel()).as(raised.toString()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> old.applyHalted().isPresent());
    assertThat(old.applyHalted().get()).contains("feature level to 2").contains("supports 1-1");
    assertThat(catchThrowable(() -> digest(old))).isInstanceOf(StateUnavailableException.class);

    CommandResult annotated = n1.client().submit(Command.newBuilder().setNowMs(System.currentTimeMillis())
        .setAnnotateItem(AnnotateItemRequest.newBuilder().setItemId(item).setNote("n"))).get(10, TimeUnit.SECONDS);
    assertThat(annotated.getItem().getItem().getNote()).isEqualTo("n");
    for (int i = 0; i < 5; i++) {
      assertThat(n1.client().submit(enqueue()).get(10, TimeUnit.SECONDS).hasEnqueue()).isTrue();
    }

    nodes.remove(old);
    old.close();
    RaftNode upgraded = start("n3", FeatureLevels.BUILD);
    assertThat(upgraded.applyHalted()).isEmpty();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      DigestResult mine = digest(upgraded);
      DigestResult theirs = digest(n1);
      return mine.getAppliedIndex() == theirs.getAppliedIndex() && mine.getDigest().equals(theirs.getDigest());
    });
  }
}
