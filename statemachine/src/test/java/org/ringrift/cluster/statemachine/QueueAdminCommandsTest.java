package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.PruneResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;

/** Cancel, redrive, lease expiry and pruning. */
class QueueAdminCommandsTest {
  private static final long DAY_MS = 24 * 3_600_000L;

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

  private WorkItem deadLetter(String error) {
    sm.enqueued(StateFixture.selfplay(50).setMaxAttempts(1));
    WorkItem item = sm.claimOne("w1");
    return sm.apply(Commands.fail(item, error, false)).getItem().getItem();
  }

  @Test
  void cancelFromEveryLiveState() {
    WorkItem pending = sm.enqueued(StateFixture.selfplay(10));
    sm.enqueued(StateFixture.selfplay(20).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(30));
    WorkItem running = sm.claimOne("w1");
    sm.apply(Commands.start(running));
    WorkItem claimed = sm.claimOne("w1");

    WorkItem c1 = sm.apply(Commands.cancel(pending.getId(), "")).getItem().getItem();
    WorkItem c2 = sm.apply(Commands.cancel(claimed.getId(), "obsolete")).getItem().getItem();
    WorkItem c3 = sm.apply(Commands.cancel(running.getId(), "obsolete")).getItem().getItem();

    assertThat(List.of(c1, c2, c3)).extracting(WorkItem::getState).containsOnly(WorkState.WORK_STATE_CANCELLED);
    assertThat(c1.getLastError()).isEqualTo("cancelled");
    assertThat(c2.getLastError()).isEqualTo("obsolete");
    assertThat(c3.getFinishedMs()).isEqualTo(sm.nowMs);
    assertThat(c3.getLeaseExpiresMs()).isZero();
    assertThat(sm.stats().getCancelled()).isEqualTo(3);
    assertThat(sm.stats().getPending() + sm.stats().getClaimed() + sm.stats().getRunning()).isZero();
    assertThat(sm.events(EventTypes.WORK_CANCELLED)).hasSize(3);
    // The cancelled lease is over: the worker's late report is a stale token.
    Rejected.token(sm, Commands.complete(claimed, "late"));
    // The group slot the cancelled item held is free again.
    sm.enqueued(StateFixture.selfplay(20).setGroupKey("g"));
    assertThat(sm.claimOne("w2").getGroupKey()).isEqualTo("g");
  }

  @Test
  void cancelRejections() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(10));
    sm.apply(Commands.cancel(item.getId(), ""));

    sm.rejects(Commands.cancel(item.getId(), ""), RejectCode.REJECT_FAILED_PRECONDITION, "item_id");
    sm.rejects(Commands.cancel("w-9", ""), RejectCode.REJECT_NOT_FOUND, "item_id");
    sm.rejects(Commands.cancel("9", ""), RejectCode.REJECT_INVALID_ARGUMENT, "item_id");
    sm.rejects(Commands.cancel(item.getId(), "r".repeat(4097)), RejectCode.REJECT_INVALID_ARGUMENT, "reason");
  }

  @Test
  void redriveByIdReturnsDeadLettersToPendingWithFreshAttempts() {
    WorkItem dead = deadLetter("boom");

    CommandResult result = sm.apply(Commands.redrive(dead.getId()));

    WorkItem redriven = result.getItems().getItems(0);
    assertThat(redriven.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(redriven.getAttempts()).isZero();
    assertThat(redriven.getFinishedMs()).isZero();
    assertThat(redriven.getNotBeforeMs()).isZero();
    assertThat(redriven.getLastError()).isEqualTo("boom");
    assertThat(sm.stats().getFailed()).isZero();
    assertThat(sm.stats().getPending()).isEqualTo(1);
    assertThat(sm.events(EventTypes.WORK_REDRIVEN)).hasSize(1);
    assertThat(sm.claimOne("w2").getAttempts()).isEqualTo(1);
  }

  @Test
  void redriveAllTakesTheOldestDeadLettersUpToTheLimit() {
    WorkItem first = deadLetter("a");
    sm.nowMs += 1;
    WorkItem second = deadLetter("b");
    sm.nowMs += 1;
    WorkItem done = sm.enqueued(StateFixture.selfplay(1));
    sm.apply(Commands.complete(sm.claimOne("w1"), "ok"));
    sm.nowMs += 1;
    WorkItem third = deadLetter("c");

    List<WorkItem> redriven = sm.apply(Commands.redriveAll(2)).getItems().getItemsList();
    List<WorkItem> rest = sm.apply(Commands.redriveAll(0)).getItems().getItemsList();

    assertThat(redriven).extracting(WorkItem::getId).containsExactly(first.getId(), second.getId());
    assertThat(rest).extracting(WorkItem::getId).containsExactly(third.getId());
    assertThat(sm.item(done.getId()).getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
    assertThat(sm.apply(Commands.redriveAll(0)).getItems().getItemsList()).isEmpty();
  }

  @Test
  void redriveRejections() {
    WorkItem dead = deadLetter("boom");
    WorkItem pending = sm.enqueued(StateFixture.selfplay(1));

    sm.rejects(Commands.redrive(dead.getId(), pending.getId()), RejectCode.REJECT_FAILED_PRECONDITION, "item_ids");
    sm.rejects(Commands.redrive(dead.getId(), "w-99"), RejectCode.REJECT_NOT_FOUND, "item_ids");
    sm.rejects(Commands.redrive("bad"), RejectCode.REJECT_INVALID_ARGUMENT, "item_ids");
    sm.rejects(Commands.redrive(), RejectCode.REJECT_INVALID_ARGUMENT, "item_ids");
    sm.rejects(Commands.redrive(dead.getId()).setRedrive(Commands.redrive(dead.getId()).getRedrive().toBuilder()
        .setAll(true)), RejectCode.REJECT_INVALID_ARGUMENT, "item_ids");
    sm.rejects(Commands.redriveAll(101), RejectCode.REJECT_INVALID_ARGUMENT, "limit");
    sm.rejects(Commands.redriveAll(-1), RejectCode.REJECT_INVALID_ARGUMENT, "limit");
    assertThat(sm.item(dead.getId()).getState()).isEqualTo(WorkState.WORK_STATE_FAILED);
  }

  @Test
  void redriveNamingAnItemTwiceIsRejected() {
    WorkItem dead = deadLetter("boom");

    sm.rejects(Commands.redrive(dead.getId(), dead.getId()), RejectCode.REJECT_INVALID_ARGUMENT, "item_ids");
    assertThat(sm.stats().getFailed()).isEqualTo(1);
    assertThat(sm.stats().getPending()).isZero();
  }

  @Test
  void expireLeasesRetriesThenTimesOutAndChargesTheNode() {
    sm.enqueued(StateFixture.selfplay(50).setMaxAttempts(2).setTimeoutMs(10_000));
    WorkItem first = sm.claimOne("w1");
    sm.nowMs = first.getLeaseExpiresMs() - 1;
    assertThat(sm.applyAsLeader(Commands.expireLeases(10)).getItems().getItemsList()).isEmpty();

    sm.nowMs += 1;
    List<WorkItem> expired = sm.applyAsLeader(Commands.expireLeases(10)).getItems().getItemsList();

    assertThat(expired).hasSize(1);
    WorkItem retried = expired.get(0);
    assertThat(retried.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(retried.getLastError()).isEqualTo("lease expired");
    assertThat(retried.getExcludedNodesList()).containsExactly("w1");
    assertThat(retried.getNotBeforeMs()).isEqualTo(sm.nowMs + 30_000);
    Rejected.token(sm, Commands.complete(first, "late"));

    sm.nowMs += 30_000;
    WorkItem second = sm.claimOne("w2");
    sm.nowMs = second.getLeaseExpiresMs();
    WorkItem timedOut = sm.applyAsLeader(Commands.expireLeases(10)).getItems().getItems(0);

    assertThat(timedOut.getState()).isEqualTo(WorkState.WORK_STATE_TIMEOUT);
    assertThat(timedOut.getFinishedMs()).isEqualTo(sm.nowMs);
    assertThat(sm.stats().getTimeout()).isEqualTo(1);
    assertThat(sm.events(EventTypes.WORK_TIMEOUT)).hasSize(1);
    assertThat(sm.events(EventTypes.WORK_RETRY)).hasSize(1);
    assertThat(sm.apply(Commands.redrive(timedOut.getId())).getItems().getItems(0).getState())
        .isEqualTo(WorkState.WORK_STATE_PENDING);
  }

  @Test
  void expireLeasesTakesTheEarliestFirstUpToMaxItems() {
    for (int i = 0; i < 3; i++) {
      sm.enqueued(StateFixture.selfplay(50));
    }
    sm.claim(org.ringrift.cluster.proto.ClaimRequest.newBuilder().setWorkerId("w1").setLeaseMs(30_000));
    sm.claim(org.ringrift.cluster.proto.ClaimRequest.newBuilder().setWorkerId("w1").setLeaseMs(10_000));
    sm.claim(org.ringrift.cluster.proto.ClaimRequest.newBuilder().setWorkerId("w1").setLeaseMs(20_000));
    sm.nowMs += 30_000;

    assertThat(sm.applyAsLeader(Commands.expireLeases(2)).getItems().getItemsList()).extracting(WorkItem::getId)
        .containsExactly("w-2", "w-3");
    assertThat(sm.applyAsLeader(Commands.expireLeases(2)).getItems().getItemsList()).extracting(WorkItem::getId)
        .containsExactly("w-1");
  }

  @Test
  void expireLeasesRejections() {
    sm.rejects(Commands.expireLeases(10), RejectCode.REJECT_INVALID_ARGUMENT, "expected_term");
    sm.rejects(Commands.expireLeases(0).setExpectedTerm(sm.term), RejectCode.REJECT_INVALID_ARGUMENT, "max_items");
    sm.rejects(Commands.expireLeases(1001).setExpectedTerm(sm.term), RejectCode.REJECT_INVALID_ARGUMENT, "max_items");
    sm.enqueued(StateFixture.selfplay(50));
    WorkItem item = sm.claimOne("w1");
    sm.nowMs = item.getLeaseExpiresMs();
    Rejected.fenced(sm, Commands.expireLeases(10).setExpectedTerm(sm.term + 1));
    assertThat(sm.item(item.getId()).getState()).isEqualTo(WorkState.WORK_STATE_CLAIMED);
  }

  @Test
  void pruneDeletesTerminalItemsPastRetentionAndExpiredIdempotencyKeys() {
    WorkItem done = sm.enqueued(StateFixture.selfplay(50).setIdempotencyKey("k1"));
    sm.apply(Commands.complete(sm.claimOne("w1"), "ok"));
    WorkItem cancelled = sm.enqueued(StateFixture.selfplay(50));
    sm.nowMs += 1_000;
    sm.apply(Commands.cancel(cancelled.getId(), ""));
    WorkItem live = sm.enqueued(StateFixture.selfplay(50));

    sm.nowMs += DAY_MS - 1_000;
    PruneResult first = sm.applyAsLeader(Commands.prune(100)).getPrune();
    sm.nowMs += 1_000;
    PruneResult second = sm.applyAsLeader(Commands.prune(100)).getPrune();

    assertThat(first.getItemsPruned()).isEqualTo(1);
    assertThat(first.getIdempotencyKeysPruned()).isEqualTo(1);
    assertThat(second.getItemsPruned()).isEqualTo(1);
    assertThat(sm.query(org.ringrift.cluster.proto.Query.newBuilder().setGetItem(
        org.ringrift.cluster.proto.GetItemRequest.newBuilder().setItemId(done.getId()))).getRejected().getCode())
        .isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(sm.item(live.getId()).getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(sm.stats().getCompleted()).isZero();
    assertThat(sm.stats().getCancelled()).isZero();
    assertThat(sm.stats().getPending()).isEqualTo(1);
  }

  @Test
  void pruneRetentionComesFromConfigAndMaxItemsBoundsIt() {
    sm.setConfig("queue.terminal_retention_ms", 60_000);
    for (int i = 0; i < 3; i++) {
      WorkItem item = sm.enqueued(StateFixture.selfplay(50));
      sm.apply(Commands.cancel(item.getId(), ""));
    }
    sm.nowMs += 60_000;

    assertThat(sm.applyAsLeader(Commands.prune(2)).getPrune().getItemsPruned()).isEqualTo(2);
    assertThat(sm.applyAsLeader(Commands.prune(2)).getPrune().getItemsPruned()).isEqualTo(1);
    assertThat(sm.stats().getCancelled()).isZero();
  }

  @Test
  void pruneRejections() {
    sm.rejects(Commands.prune(10), RejectCode.REJECT_INVALID_ARGUMENT, "expected_term");
    sm.rejects(Commands.prune(0).setExpectedTerm(sm.term), RejectCode.REJECT_INVALID_ARGUMENT, "max_items");
    Rejected.fenced(sm, Commands.prune(10).setExpectedTerm(sm.term + 1));
  }
}
