package org.ringrift.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/**
 * Issue 23's second recipe on real Ratis servers: the leader and one follower go down for longer
 * than a write's whole deadline while the survivor keeps proposing; once they are back, the
 * survivor must take writes again. With the old write path (one shared ordered RaftClient, kept as
 * the unsafe hook) the survivor's window is closed for good, which the last test shows.
 */
class WritesAfterOutageTest {
  /** Short deadlines, so that the outage outlasts every retry budget within a few seconds. */
  static final RaftSettings SETTINGS = new RaftSettings(Duration.ofMillis(300), Duration.ofMillis(600),
      Duration.ofSeconds(2), 10_000, 2, 4L * 1024 * 1024, 8L * 1024 * 1024, 1024, 4096, 10, Duration.ofMillis(100),
      Duration.ofMillis(500), 4, GroupCommitSettings.defaults());

  /**
   * Elections slower than a write's deadline: a leader whose followers stopped keeps leading (Ratis
   * steps it down only after the longest election timeout without a majority) while a write fails.
   */
  static final RaftSettings SLOW_STEP_DOWN = new RaftSettings(Duration.ofSeconds(3), Duration.ofSeconds(4),
      Duration.ofSeconds(1), 10_000, 2, 4L * 1024 * 1024, 8L * 1024 * 1024, 1024, 4096, 10, Duration.ofMillis(100),
      Duration.ofMillis(300), 4, GroupCommitSettings.defaults());

  @TempDir Path dir;
  RaftSettings settings = SETTINGS;
  final List<RaftNode> nodes = new ArrayList<>();
  ClusterSpec spec;

  @BeforeAll
  static void noSystemExit() {
    ExitUtils.disableSystemExit();
  }

  @AfterEach
  void stop() throws IOException {
    for (RaftNode node : nodes) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void theSurvivorOfAMajorityOutageTakesWritesAgainAfterItEnds() throws Exception {
    RaftNode survivor = outageOfLeaderAndOneFollower(UnsafeTestHooks.NONE);

    for (int i = 0; i < 5; i++) {
      CommandResult result = survivor.client().submit(enqueue("after-" + i)).get(10, TimeUnit.SECONDS);
      assertThat(result.hasEnqueue()).as("write %d through the survivor", i).isTrue();
    }
  }

  @Test
  void aWriteThatOutlivesItsDeadlineFailsWithAKindThatSaysWhetherItMayApply() throws Exception {
    settings = SLOW_STEP_DOWN;
    startCluster(UnsafeTestHooks.NONE);
    RaftNode leader = awaitLeader();
    for (RaftNode follower : nodes.stream().filter(n -> n != leader).toList()) {
      stopNode(follower);
    }
    assertThat(leader.view().isLeader()).as("the leader has not stepped down yet").isTrue();

    Throwable appended = catchThrowable(() -> leader.client().submit(enqueue("alone")).get(10, TimeUnit.SECONDS));
    await().atMost(Duration.ofSeconds(10)).until(() -> !leader.view().isLeader());
    Throwable neverProposed = catchThrowable(() -> leader.client().submit(enqueue("later")).get(10, TimeUnit.SECONDS));

    // The leader appended the first and could not commit it: it may yet be applied, if its entry
    // survives. The second found no leader at all: nothing was proposed.
    assertThat(kind(appended)).isEqualTo(RaftCallException.Kind.OUTCOME_UNKNOWN);
    assertThat(kind(neverProposed)).isEqualTo(RaftCallException.Kind.NO_LEADER);
  }

  private static RaftCallException.Kind kind(Throwable failure) {
    assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RaftCallException.class);
    return ((RaftCallException) failure.getCause()).kind();
  }

  /** The test above can fail: the old write path does exactly what issue 23 reported. */
  @Test
  void withTheOldSharedOrderedClientTheSurvivorStaysClosed() throws Exception {
    RaftNode survivor = outageOfLeaderAndOneFollower(new UnsafeTestHooks(false, false, false, true));

    Throwable failure = catchThrowable(() -> survivor.client().submit(enqueue("after")).get(10, TimeUnit.SECONDS));

    assertThat(failure).hasMessageContaining("is closed");
  }

  /** Stops the leader and a follower, lets the survivor's writes fail for good, restarts both. */
  private RaftNode outageOfLeaderAndOneFollower(UnsafeTestHooks survivorHooks) throws Exception {
    startCluster(UnsafeTestHooks.NONE);
    RaftNode leader = awaitLeader();
    RaftNode survivor = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    if (!survivorHooks.equals(UnsafeTestHooks.NONE)) {
      survivor = restart(survivor, survivorHooks);
      RaftNode restarted = survivor;
      await().atMost(Duration.ofSeconds(20)).until(() -> !restarted.view().leaderId().isEmpty());
    }
    RaftNode survivorNode = survivor;
    List<String> down = nodes.stream().filter(n -> n != survivorNode).map(RaftNode::id).toList();
    for (String id : down) {
      stopNode(node(id));
    }

    List<CompletableFuture<CommandResult>> during = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      during.add(survivor.client().submit(enqueue("during-" + i)));
    }
    // Every write of the outage has failed (each retried for its whole deadline) before anyone returns.
    await().atMost(Duration.ofSeconds(30)).until(() -> during.stream().allMatch(CompletableFuture::isDone));
    assertThat(during).allMatch(CompletableFuture::isCompletedExceptionally);

    for (String id : down) {
      startNode(id, UnsafeTestHooks.NONE);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().anyMatch(n -> n != null && n.view().isLeader()
        && n.gate().readyTerm().isPresent()));
    RaftNode ready = survivor;
    await().atMost(Duration.ofSeconds(10)).until(() -> !ready.view().leaderId().isEmpty());
    return survivor;
  }

  void startCluster(UnsafeTestHooks hooks) throws IOException {
    int base = TestPorts.freeBlock(3);
    spec = new ClusterSpec("test", List.of(
        new Member("n1", "127.0.0.1", base), new Member("n2", "127.0.0.1", base + 1),
        new Member("n3", "127.0.0.1", base + 2)));
    for (Member member : spec.members()) {
      startNode(member.id(), hooks);
    }
  }

  private RaftNode startNode(String id, UnsafeTestHooks hooks) throws IOException {
    RaftNode node = new RaftNode(RaftNodeConfig.of(spec, id, dir.resolve(id), settings, QueueLimits.defaults(),
        Clock.systemUTC()).withHooks(hooks));
    node.start();
    int slot = spec.members().indexOf(spec.member(id).orElseThrow());
    while (nodes.size() <= slot) {
      nodes.add(null);
    }
    nodes.set(slot, node);
    return node;
  }

  private void stopNode(RaftNode node) throws IOException {
    nodes.set(nodes.indexOf(node), null);
    node.close();
  }

  private RaftNode restart(RaftNode node, UnsafeTestHooks hooks) throws IOException {
    stopNode(node);
    return startNode(node.id(), hooks);
  }

  private RaftNode node(String id) {
    return nodes.stream().filter(n -> n != null && n.id().equals(id)).findFirst().orElseThrow();
  }

  private RaftNode awaitLeader() {
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream()
        .anyMatch(n -> n != null && n.view().isLeader() && n.gate().readyTerm().isPresent()));
    return nodes.stream().filter(n -> n != null && n.view().isLeader()).findFirst().orElseThrow();
  }

  private static Command.Builder enqueue(String payload) {
    return Command.newBuilder().setEnqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
        .setPriority(50).setPayload(ByteString.copyFromUtf8(payload)));
  }
}
