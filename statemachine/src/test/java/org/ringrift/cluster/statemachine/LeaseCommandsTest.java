package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;

/** The worker's commands on a lease: extend, start, complete, fail, release. */
class LeaseCommandsTest {
  private static final long BACKOFF_BASE_MS = 30_000;

  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private WorkItem claimed(long timeoutMs) {
    sm.enqueued(StateFixture.selfplay(50).setTimeoutMs(timeoutMs));
    return sm.claimOne("w1");
  }

  @Test
  void claimLeaseIsCappedByTheItemTimeout() {
    WorkItem item = claimed(60_000);

    assertThat(item.getLeaseExpiresMs()).isEqualTo(sm.nowMs + 60_000);
  }

  @Test
  void extendMovesTheLeaseFromNowAndKeepsTheToken() {
    WorkItem item = claimed(3_600_000);
    sm.nowMs += 10_000;

    WorkItem extended = sm.apply(Commands.extend(item, 120_000)).getItem().getItem();

    assertThat(extended.getLeaseExpiresMs()).isEqualTo(sm.nowMs + 120_000);
    assertThat(extended.getLease()).isEqualTo(item.getLease());
    assertThat(extended.getUpdatedMs()).isEqualTo(sm.nowMs);
    assertThat(sm.item(item.getId())).isEqualTo(extended);
  }

  @Test
  void extendWithoutLeaseLengthUsesTheDefaultLease() {
    WorkItem item = claimed(3_600_000);

    WorkItem extended = sm.apply(Commands.extend(item, 0)).getItem().getItem();

    assertThat(extended.getLeaseExpiresMs()).isEqualTo(sm.nowMs + 300_000);
  }

  @Test
  void extendIsCappedByClaimTimePlusTimeout() {
    WorkItem item = claimed(100_000);
    sm.nowMs += 50_000;

    WorkItem extended = sm.apply(Commands.extend(item, 3_600_000)).getItem().getItem();

    assertThat(extended.getLeaseExpiresMs()).isEqualTo(item.getClaimedMs() + 100_000);
  }

  @Test
  void extendOfARunOutLeaseIsAStaleToken() {
    WorkItem item = claimed(100_000);
    sm.nowMs = item.getLeaseExpiresMs();

    Rejected.token(sm, Commands.extend(item, 10_000));
    assertThat(sm.stats().getStaleTokenRejections()).isEqualTo(1);
  }

  @Test
  void extendRejectionsNameTheirField() {
    WorkItem item = claimed(100_000);

    sm.rejects(Commands.extend(item, 999), RejectCode.REJECT_INVALID_ARGUMENT, "lease_ms");
    sm.rejects(Commands.extend(item, 24 * 3_600_000L + 1), RejectCode.REJECT_INVALID_ARGUMENT, "lease_ms");
    sm.rejects(Command.newBuilder().setExtend(ExtendRequest.newBuilder().setItemId(item.getId())),
        RejectCode.REJECT_INVALID_ARGUMENT, "token");
    sm.rejects(Commands.extend("w-x", item.getLease(), 0), RejectCode.REJECT_INVALID_ARGUMENT, "item_id");
    sm.rejects(Commands.extend("w-2", item.getLease(), 0), RejectCode.REJECT_NOT_FOUND, "item_id");
    Rejected.token(sm, Commands.extend(item.getId(), nextSeq(item.getLease()), 0));
    Rejected.token(sm, Commands.extend(item.getId(), item.getLease().toBuilder().setTerm(2).build(), 0));
  }

  @Test
  void startMarksRunningOnceAndRepeatsAreHarmless() {
    WorkItem item = claimed(100_000);
    sm.nowMs += 5;

    WorkItem running = sm.apply(Commands.start(item)).getItem().getItem();
    sm.nowMs += 5;
    WorkItem again = sm.apply(Commands.start(item)).getItem().getItem();

    assertThat(running.getState()).isEqualTo(WorkState.WORK_STATE_RUNNING);
    assertThat(running.getStartedMs()).isEqualTo(sm.nowMs - 5);
    assertThat(again).isEqualTo(running);
    assertThat(sm.stats().getRunning()).isEqualTo(1);
    assertThat(sm.stats().getClaimed()).isZero();
  }

  @Test
  void startRejections() {
    WorkItem pending = sm.enqueued(StateFixture.selfplay(1));
    sm.rejects(Command.newBuilder().setStart(StartRequest.newBuilder().setItemId(pending.getId())),
        RejectCode.REJECT_INVALID_ARGUMENT, "token");
    // A pending item has no lease: whatever token comes is stale.
    Rejected.token(sm, Commands.start(pending));
    WorkItem item = sm.claimOne("w1");
    sm.nowMs = item.getLeaseExpiresMs() + 1;
    Rejected.token(sm, Commands.start(item));
  }

  @Test
  void completeFromRunningStoresResultAndFreesTheGroupSlot() {
    sm.enqueued(StateFixture.selfplay(50).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(50).setGroupKey("g"));
    WorkItem item = sm.claimOne("w1");
    sm.apply(Commands.start(item));
    assertThat(sm.claim("w2", 1).getClaim().getItemsList()).isEmpty();

    WorkItem done = sm.apply(Commands.complete(item, "ok")).getItem().getItem();

    assertThat(done.getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
    assertThat(done.getResult().toStringUtf8()).isEqualTo("ok");
    assertThat(done.getFinishedMs()).isEqualTo(sm.nowMs);
    assertThat(done.getLeaseExpiresMs()).isZero();
    assertThat(sm.claimOne("w2").getId()).isEqualTo("w-2");
  }

  @Test
  void completeRetriedWithTheSameTokenReportsTheFirstResult() {
    WorkItem item = claimed(100_000);
    WorkItem done = sm.apply(Commands.complete(item, "first")).getItem().getItem();
    sm.nowMs += 1_000;

    WorkItem again = sm.apply(Commands.complete(item, "second")).getItem().getItem();

    assertThat(again).isEqualTo(done);
    assertThat(again.getResult().toStringUtf8()).isEqualTo("first");
    assertThat(sm.stats().getCompleted()).isEqualTo(1);
    assertThat(sm.stats().getStaleTokenRejections()).isZero();
  }

  @Test
  void completeRejections() {
    WorkItem item = claimed(100_000);
    sm.rejects(Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(item.getId())
        .setToken(item.getLease()).setResult(com.google.protobuf.ByteString.copyFrom(new byte[64 * 1024 + 1]))),
        RejectCode.REJECT_INVALID_ARGUMENT, "result");
    Rejected.token(sm, Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(item.getId())
        .setToken(nextSeq(item.getLease()))));
    sm.apply(Commands.complete(item, "ok"));
    // After completion a different token is still stale, not a second completion.
    Rejected.token(sm, Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(item.getId())
        .setToken(nextSeq(item.getLease()))));
  }

  @Test
  void completeAfterTheLeaseRanOutIsStaleEvenBeforeTheReaperRuns() {
    WorkItem item = claimed(100_000);
    sm.nowMs = item.getLeaseExpiresMs();

    Rejected.token(sm, Commands.complete(item, "late"));
    assertThat(sm.item(item.getId()).getState()).isEqualTo(WorkState.WORK_STATE_CLAIMED);
  }

  @Test
  void excludedNodesKeepOnlyTheMostRecentFailures() {
    sm.setConfig("queue.retry_backoff_base_ms", 0);
    WorkItem item = sm.enqueue(StateFixture.selfplay(50).setMaxAttempts(40)).getEnqueue().getItem();
    for (int node = 1; node <= 35; node++) {
      WorkItem claimed = sm.claimOne("node-" + node);
      assertThat(claimed.getId()).isEqualTo(item.getId());
      sm.apply(Commands.fail(claimed, "boom", false));
    }

    WorkItem retried = sm.item(item.getId());
    assertThat(retried.getExcludedNodesList()).hasSize(32).startsWith("node-4").endsWith("node-35");
    assertThat(sm.claim("node-35", 1).getClaim().getItemsList()).isEmpty();
    assertThat(sm.claimOne("node-1").getId()).isEqualTo(item.getId());
  }

  @Test
  void failWithAttemptsLeftRetriesWithBackoffAndExcludesTheNode() {
    WorkItem item = claimed(100_000);
    sm.nowMs += 100;

    WorkItem retried = sm.apply(Commands.fail(item, "oom", false)).getItem().getItem();

    assertThat(retried.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(retried.getLastError()).isEqualTo("oom");
    assertThat(retried.getNotBeforeMs()).isEqualTo(sm.nowMs + BACKOFF_BASE_MS);
    assertThat(retried.getExcludedNodesList()).containsExactly("w1");
    assertThat(retried.getAttempts()).isEqualTo(1);
    assertThat(retried.getLeaseExpiresMs()).isZero();
    assertThat(sm.events(org.ringrift.cluster.contract.names.EventTypes.WORK_RETRY)).hasSize(1);
    assertThat(nodeFailures("w1")).isEqualTo(1);

    // Not claimable before the backoff, by anyone; never by the node that failed it.
    sm.nowMs += BACKOFF_BASE_MS - 1;
    assertThat(sm.claim("w2", 1).getClaim().getItemsList()).isEmpty();
    sm.nowMs += 1;
    assertThat(sm.claim("w1", 1).getClaim().getItemsList()).isEmpty();
    WorkItem second = sm.claimOne("w2");
    assertThat(second.getAttempts()).isEqualTo(2);
    assertThat(second.getNotBeforeMs()).isZero();

    // The backoff doubles with each attempt.
    WorkItem retriedAgain = sm.apply(Commands.fail(second, "oom", false)).getItem().getItem();
    assertThat(retriedAgain.getNotBeforeMs()).isEqualTo(sm.nowMs + 2 * BACKOFF_BASE_MS);
    assertThat(retriedAgain.getExcludedNodesList()).containsExactly("w1", "w2");
  }

  @Test
  void failAfterMaxAttemptsIsADeadLetter() {
    sm.enqueued(StateFixture.selfplay(50).setMaxAttempts(2));
    WorkItem first = sm.claimOne("w1");
    sm.apply(Commands.fail(first, "e1", false));
    sm.nowMs += BACKOFF_BASE_MS;
    WorkItem second = sm.claimOne("w2");

    WorkItem dead = sm.apply(Commands.fail(second, "e2", false)).getItem().getItem();

    assertThat(dead.getState()).isEqualTo(WorkState.WORK_STATE_FAILED);
    assertThat(dead.getLastError()).isEqualTo("e2");
    assertThat(dead.getFinishedMs()).isEqualTo(sm.nowMs);
    assertThat(dead.getExcludedNodesList()).containsExactly("w1");
    assertThat(sm.stats().getFailed()).isEqualTo(1);
    assertThat(sm.stats().getPending()).isZero();
    assertThat(sm.events(org.ringrift.cluster.contract.names.EventTypes.WORK_FAILED))
        .extracting(Event::getSubject).containsExactly(dead.getId());
  }

  @Test
  void permanentFailureSkipsTheRetries() {
    WorkItem item = claimed(100_000);

    WorkItem dead = sm.apply(Commands.fail(item, "bad payload", true)).getItem().getItem();

    assertThat(dead.getState()).isEqualTo(WorkState.WORK_STATE_FAILED);
    assertThat(dead.getAttempts()).isEqualTo(1);
    assertThat(dead.getExcludedNodesList()).isEmpty();
    Rejected.token(sm, Commands.fail(item, "again", true));
  }

  @Test
  void failRejections() {
    WorkItem item = claimed(100_000);
    sm.rejects(Commands.fail(item, "e".repeat(4097), false), RejectCode.REJECT_INVALID_ARGUMENT, "error");
    sm.rejects(Commands.fail(item.toBuilder().setId("").build(), "e", false), RejectCode.REJECT_INVALID_ARGUMENT,
        "item_id");
    Rejected.token(sm, Commands.fail(item.toBuilder().setLease(nextSeq(item.getLease())).build(), "e", false));
  }

  @Test
  void releaseGivesTheAttemptBackAndTheItemIsClaimableAtOnce() {
    WorkItem item = claimed(100_000);

    WorkItem released = sm.apply(Commands.release(item)).getItem().getItem();

    assertThat(released.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(released.getAttempts()).isZero();
    assertThat(released.getLeaseExpiresMs()).isZero();
    assertThat(released.getExcludedNodesList()).isEmpty();
    assertThat(nodeFailures("w1")).isZero();
    WorkItem again = sm.claimOne("w1");
    assertThat(again.getAttempts()).isEqualTo(1);
    assertThat(again.getLease().getSequence()).isGreaterThan(item.getLease().getSequence());
    // The released lease is over: its token is stale now.
    Rejected.token(sm, Commands.release(item));
    Rejected.token(sm, Commands.complete(item, "late"));
  }

  @Test
  void releaseRejections() {
    WorkItem item = claimed(100_000);
    sm.rejects(Command.newBuilder().setRelease(org.ringrift.cluster.proto.ReleaseRequest.newBuilder()
        .setItemId(item.getId())), RejectCode.REJECT_INVALID_ARGUMENT, "token");
    sm.rejects(Commands.release(item.toBuilder().setId("w-5").build()), RejectCode.REJECT_NOT_FOUND, "item_id");
  }

  private long nodeFailures(String node) {
    return sm.query(org.ringrift.cluster.proto.Query.newBuilder().setListNodes(
            org.ringrift.cluster.proto.ListNodesRequest.getDefaultInstance()))
        .getListNodes().getNodesList().stream().filter(n -> n.getNodeId().equals(node))
        .mapToLong(n -> n.getFailureCount()).sum();
  }

  static LeaseToken nextSeq(LeaseToken token) {
    return token.toBuilder().setSequence(token.getSequence() + 1).build();
  }
}
