package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.WorkType;

/** Admission control at enqueue: soft limit (event), hard limit (refusal), per-type caps. */
class BackpressureTest {
  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
    sm.setConfig("queue.pending_soft_limit", 3);
    sm.setConfig("queue.pending_hard_limit", 5);
    sm.setConfig("queue.pending_recovery", 1);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private void enqueue(int n) {
    for (int i = 0; i < n; i++) {
      sm.enqueued(StateFixture.selfplay(1));
    }
  }

  @Test
  void softLimitActivatesOnceAndReleasesAtTheRecoveryLevel() {
    enqueue(2);
    assertThat(sm.stats().getBackpressureActive()).isFalse();
    enqueue(1);
    assertThat(sm.stats().getBackpressureActive()).isTrue();
    enqueue(1);
    assertThat(sm.events(EventTypes.BACKPRESSURE_ACTIVATED)).hasSize(1);

    sm.claim("w1", 2); // 2 pending: above recovery
    assertThat(sm.stats().getBackpressureActive()).isTrue();
    sm.claim("w1", 1); // 1 pending: at recovery
    assertThat(sm.stats().getBackpressureActive()).isFalse();
    assertThat(sm.events(EventTypes.BACKPRESSURE_RELEASED)).hasSize(1);

    enqueue(2);
    assertThat(sm.events(EventTypes.BACKPRESSURE_ACTIVATED)).hasSize(2);
  }

  @Test
  void cancelAlsoReleasesBackpressure() {
    enqueue(3);
    sm.apply(Commands.cancel("w-1", ""));
    assertThat(sm.stats().getBackpressureActive()).isTrue();
    sm.apply(Commands.cancel("w-2", ""));

    assertThat(sm.stats().getBackpressureActive()).isFalse();
    assertThat(sm.events(EventTypes.BACKPRESSURE_RELEASED)).hasSize(1);
  }

  @Test
  void hardLimitRejectsUnlessForced() {
    enqueue(5);

    Rejection rejection = sm.rejects(Command.newBuilder().setEnqueue(StateFixture.selfplay(1)),
        RejectCode.REJECT_BACKPRESSURE, "pending");
    assertThat(rejection.getMessage()).contains("queue.pending_hard_limit");

    sm.enqueued(StateFixture.selfplay(1).setForce(true));
    assertThat(sm.stats().getPending()).isEqualTo(6);
  }

  @Test
  void perTypeCapRejectsThatTypeOnly() {
    sm.setConfig("queue.pending_cap.training", 1);
    sm.enqueued(StateFixture.selfplay(1).setType(WorkType.WORK_TYPE_TRAINING));

    Rejection rejection = sm.rejects(Command.newBuilder().setEnqueue(StateFixture.selfplay(1)
        .setType(WorkType.WORK_TYPE_TRAINING)), RejectCode.REJECT_BACKPRESSURE, "type");
    assertThat(rejection.getMessage()).contains("queue.pending_cap.training");

    sm.enqueued(StateFixture.selfplay(1));
    sm.enqueued(StateFixture.selfplay(1).setType(WorkType.WORK_TYPE_TRAINING).setForce(true));
    assertThat(sm.stats().getPendingByTypeMap()).containsEntry("training", 2L).containsEntry("selfplay", 1L);
  }

  @Test
  void claimedItemsDoNotCountAgainstTheLimits() {
    enqueue(5);
    sm.claim("w1", 3);

    sm.enqueued(StateFixture.selfplay(1));
    assertThat(sm.stats().getPending()).isEqualTo(3);
  }
}
