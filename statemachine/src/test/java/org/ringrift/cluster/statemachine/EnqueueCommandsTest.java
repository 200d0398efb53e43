package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

/** Enqueue, single and batch: defaults, validation, idempotency and dependencies. */
class EnqueueCommandsTest {
  private static final String LONG_ID = "x".repeat(129);

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

  @Test
  void enqueueStoresEveryFieldAndTakesTheTypeTimeoutFromConfig() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(70).setGroupKey("g").setTargetNode("n1")
        .setTargetNodeExpiresMs(5_000_000).addExcludedNodes("n2").addExcludedNodes("n2")
        .addRequiredCapabilities("gpu").addRequiredCapabilities("gpu").setMaxAttempts(5));

    assertThat(item.getTimeoutMs()).isEqualTo(2 * 3_600_000L); // selfplay default
    assertThat(item.getMaxAttempts()).isEqualTo(5);
    assertThat(item.getGroupKey()).isEqualTo("g");
    assertThat(item.getTargetNode()).isEqualTo("n1");
    assertThat(item.getTargetNodeExpiresMs()).isEqualTo(5_000_000);
    assertThat(item.getExcludedNodesList()).containsExactly("n2");
    assertThat(item.getRequiredCapabilitiesList()).containsExactly("gpu");
    assertThat(item.getEnqueueSeq()).isEqualTo(1);
    assertThat(sm.item("w-1")).isEqualTo(item);
    assertThat(sm.stats().getPendingByTypeMap()).containsExactlyEntriesOf(java.util.Map.of("selfplay", 1L));
  }

  @Test
  void configuredTypeTimeoutAppliesToLaterEnqueues() {
    sm.setConfig("queue.timeout_ms.training", 90_000);

    WorkItem item = sm.enqueued(StateFixture.selfplay(1).setType(WorkType.WORK_TYPE_TRAINING));
    WorkItem explicit = sm.enqueued(StateFixture.selfplay(1).setType(WorkType.WORK_TYPE_TRAINING).setTimeoutMs(5_000));

    assertThat(item.getTimeoutMs()).isEqualTo(90_000);
    assertThat(explicit.getTimeoutMs()).isEqualTo(5_000);
  }

  @Test
  void everyInvalidFieldIsRejectedByName() {
    sm.enqueued(StateFixture.selfplay(1));
    rejectInvalid(StateFixture.selfplay(-1), "priority");
    rejectInvalid(StateFixture.selfplay(1).setMaxAttempts(-1), "max_attempts");
    rejectInvalid(StateFixture.selfplay(1).setTimeoutMs(999), "timeout_ms");
    rejectInvalid(StateFixture.selfplay(1).setTimeoutMs(8 * 24 * 3_600_000L), "timeout_ms");
    rejectInvalid(StateFixture.selfplay(1).setIdempotencyKey("has space"), "idempotency_key");
    rejectInvalid(StateFixture.selfplay(1).setIdempotencyKey(LONG_ID), "idempotency_key");
    rejectInvalid(StateFixture.selfplay(1).setGroupKey(LONG_ID), "group_key");
    rejectInvalid(StateFixture.selfplay(1).setTargetNode("n\t1"), "target_node");
    rejectInvalid(StateFixture.selfplay(1).addDependsOn("item-1"), "depends_on");
    rejectInvalid(StateFixture.selfplay(1).addDependsOn("w-0"), "depends_on");
    rejectInvalid(StateFixture.selfplay(1).addExcludedNodes(""), "excluded_nodes");
    rejectInvalid(StateFixture.selfplay(1).addRequiredCapabilities("g p u"), "required_capabilities");
    EnqueueRequest.Builder tooMany = StateFixture.selfplay(1);
    for (int i = 0; i < 33; i++) {
      tooMany.addRequiredCapabilities("c" + i);
    }
    rejectInvalid(tooMany, "required_capabilities");
  }

  @Test
  void unknownDependencyIsNotFound() {
    sm.rejects(Command.newBuilder().setEnqueue(StateFixture.selfplay(1).addDependsOn("w-7")),
        RejectCode.REJECT_NOT_FOUND, "depends_on");
  }

  @Test
  void itemWaitsForEveryDependencyToComplete() {
    WorkItem a = sm.enqueued(StateFixture.selfplay(10));
    WorkItem b = sm.enqueued(StateFixture.selfplay(10));
    WorkItem child = sm.enqueued(StateFixture.selfplay(100).addDependsOn(a.getId()).addDependsOn(b.getId()));

    WorkItem first = sm.claimOne("w1");
    assertThat(first.getId()).isEqualTo(a.getId());
    sm.complete(first.getId(), first.getLease());
    WorkItem second = sm.claimOne("w1");
    assertThat(second.getId()).isEqualTo(b.getId()); // the child still waits for b
    assertThat(sm.claim("w2", 5).getClaim().getItemsList()).isEmpty();

    sm.complete(second.getId(), second.getLease());
    assertThat(sm.claimOne("w2").getId()).isEqualTo(child.getId());
  }

  @Test
  void failedDependencyKeepsTheItemWaiting() {
    WorkItem a = sm.enqueued(StateFixture.selfplay(10).setMaxAttempts(1));
    sm.enqueued(StateFixture.selfplay(100).addDependsOn(a.getId()));
    WorkItem claimed = sm.claimOne("w1");
    sm.apply(Command.newBuilder().setFail(org.ringrift.cluster.proto.FailRequest.newBuilder()
        .setItemId(claimed.getId()).setToken(claimed.getLease()).setError("boom")));

    assertThat(sm.item(a.getId()).getState()).isEqualTo(WorkState.WORK_STATE_FAILED);
    assertThat(sm.claim("w1", 5).getClaim().getItemsList()).isEmpty();
  }

  @Test
  void idempotencyKeyDeduplicatesWithinTheWindowOnly() {
    WorkItem first = sm.enqueued(StateFixture.selfplay(50).setIdempotencyKey("k1"));
    sm.nowMs += 24 * 3_600_000L - 1;
    EnqueueResult again = sm.enqueue(StateFixture.selfplay(50).setIdempotencyKey("k1")).getEnqueue();
    sm.nowMs += 1;
    EnqueueResult afterWindow = sm.enqueue(StateFixture.selfplay(50).setIdempotencyKey("k1")).getEnqueue();

    assertThat(again.getCreated()).isFalse();
    assertThat(again.getItem()).isEqualTo(first);
    assertThat(afterWindow.getCreated()).isTrue();
    assertThat(afterWindow.getItem().getId()).isEqualTo("w-2");
  }

  @Test
  void idempotentRetryReportsTheItemAsItIsNow() {
    WorkItem first = sm.enqueued(StateFixture.selfplay(50).setIdempotencyKey("k1"));
    WorkItem claimed = sm.claimOne("w1");

    EnqueueResult again = sm.enqueue(StateFixture.selfplay(50).setIdempotencyKey("k1")).getEnqueue();

    assertThat(claimed.getId()).isEqualTo(first.getId());
    assertThat(again.getCreated()).isFalse();
    assertThat(again.getItem()).isEqualTo(claimed);
  }

  @Test
  void idempotentRetryIsAnsweredEvenUnderHardBackpressure() {
    sm.setConfig("queue.pending_hard_limit", 1);
    WorkItem first = sm.enqueued(StateFixture.selfplay(50).setIdempotencyKey("k1"));

    EnqueueResult again = sm.enqueue(StateFixture.selfplay(50).setIdempotencyKey("k1")).getEnqueue();

    assertThat(again.getItem()).isEqualTo(first);
  }

  @Test
  void batchEnqueuesEveryItemInOrder() {
    CommandResult result = sm.apply(Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
        .addItems(StateFixture.selfplay(1)).addItems(StateFixture.selfplay(2).setIdempotencyKey("k"))
        .addItems(StateFixture.selfplay(3).setIdempotencyKey("k"))));

    assertThat(result.getEnqueueBatch().getResultsList()).extracting(r -> r.getItem().getId())
        .containsExactly("w-1", "w-2", "w-2");
    assertThat(result.getEnqueueBatch().getResultsList()).extracting(EnqueueResult::getCreated)
        .containsExactly(true, true, false);
    assertThat(sm.stats().getPending()).isEqualTo(2);
  }

  @Test
  void batchItemMayDependOnAnEarlierItemOfTheSameBatch() {
    CommandResult result = sm.apply(Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
        .addItems(StateFixture.selfplay(1)).addItems(StateFixture.selfplay(2).addDependsOn("w-1"))));

    assertThat(result.getEnqueueBatch().getResults(1).getItem().getDependsOnList()).containsExactly("w-1");
  }

  @Test
  void batchIsAllOrNothing() {
    sm.enqueued(StateFixture.selfplay(1));

    Command.Builder invalidLast = Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
        .addItems(StateFixture.selfplay(1)).addItems(StateFixture.selfplay(1)).addItems(StateFixture.selfplay(101)));
    Command.Builder missingDependency = Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
        .addItems(StateFixture.selfplay(1).setIdempotencyKey("k")).addItems(StateFixture.selfplay(1).addDependsOn("w-9")));

    sm.rejects(invalidLast, RejectCode.REJECT_INVALID_ARGUMENT, "priority");
    sm.rejects(missingDependency, RejectCode.REJECT_NOT_FOUND, "depends_on");
    assertThat(sm.stats().getPending()).isEqualTo(1);
    assertThat(sm.enqueued(StateFixture.selfplay(1).setIdempotencyKey("k")).getId()).isEqualTo("w-2");
  }

  @Test
  void batchWithBackpressureOnItsLastItemEnqueuesNothing() {
    sm.setConfig("queue.pending_hard_limit", 2);
    sm.rejects(Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
        .addItems(StateFixture.selfplay(1)).addItems(StateFixture.selfplay(1)).addItems(StateFixture.selfplay(1))),
        RejectCode.REJECT_BACKPRESSURE, "pending");
    assertThat(sm.stats().getPending()).isZero();
  }

  @Test
  void emptyOrOversizedBatchIsRejected() {
    sm.rejects(Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.getDefaultInstance()),
        RejectCode.REJECT_INVALID_ARGUMENT, "items");
    EnqueueBatchRequest.Builder big = EnqueueBatchRequest.newBuilder();
    for (int i = 0; i < 101; i++) {
      big.addItems(StateFixture.selfplay(1));
    }
    sm.rejects(Command.newBuilder().setEnqueueBatch(big), RejectCode.REJECT_INVALID_ARGUMENT, "items");
  }

  @Test
  void commandWithoutBodyIsRejected() {
    sm.rejects(Command.newBuilder(), RejectCode.REJECT_INVALID_ARGUMENT, "body");
  }

  private void rejectInvalid(EnqueueRequest.Builder request, String field) {
    sm.rejects(Command.newBuilder().setEnqueue(request), RejectCode.REJECT_INVALID_ARGUMENT, field);
  }
}
