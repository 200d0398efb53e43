package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;
import org.ringrift.cluster.proto.SetPriorityRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/** set_priority: a pending item moves in claim order; everything else is refused, changing nothing. */
class SetPriorityTest {
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

  private static Command.Builder setPriority(String id, int priority) {
    return Command.newBuilder().setSetPriority(SetPriorityRequest.newBuilder().setItemId(id).setPriority(priority));
  }

  private void raiseLevelTo(int level) {
    CommandResult raised = sm.apply(Command.newBuilder()
        .setSetFeatureLevel(SetFeatureLevelRequest.newBuilder().setLevel(level)));
    assertThat(raised.getFeatureLevel().getLevel()).as("%s", raised).isEqualTo(level);
  }

  private WorkItem changed(String id, int priority) {
    CommandResult result = sm.apply(setPriority(id, priority));
    assertThat(result.hasRejected()).as("set_priority rejected: %s", result.getRejected()).isFalse();
    return result.getItem().getItem();
  }

  @Test
  void raisingAndLoweringAPendingItemMovesItInClaimOrder() {
    raiseLevelTo(FeatureLevels.PRIORITY);
    WorkItem first = sm.enqueued(StateFixture.selfplay(50));
    WorkItem a = sm.enqueued(StateFixture.selfplay(50));
    WorkItem b = sm.enqueued(StateFixture.selfplay(50));
    WorkItem c = sm.enqueued(StateFixture.selfplay(50));
    // A claim first, so that the claim hint sits on a's key when c moves ahead of it.
    assertThat(sm.claimOne("w1").getId()).isEqualTo(first.getId());
    sm.nowMs += 1_000;

    WorkItem raised = changed(c.getId(), 90);
    WorkItem lowered = changed(a.getId(), 10);

    assertThat(raised.getPriority()).isEqualTo(90);
    assertThat(raised.getUpdatedMs()).isEqualTo(sm.nowMs);
    assertThat(raised.getState()).isEqualTo(c.getState());
    assertThat(sm.item(c.getId())).isEqualTo(raised);
    assertThat(sm.item(a.getId())).isEqualTo(lowered);
    assertThat(sm.stats().getPending()).isEqualTo(3);
    assertThat(sm.events(EventTypes.WORK_PRIORITY_CHANGED)).extracting(Event::getSubject, Event::getMessage)
        .containsExactly(tuple(c.getId(), "priority 50 -> 90"),
            tuple(a.getId(), "priority 50 -> 10"));
    // Claim order is the new priorities: c, then b, then a; the old ready keys are gone.
    assertThat(sm.claimOne("w1").getId()).isEqualTo(c.getId());
    assertThat(sm.claimOne("w1").getId()).isEqualTo(b.getId());
    assertThat(sm.claimOne("w1").getId()).isEqualTo(a.getId());
    assertThat(sm.claim("w1", 10).getClaim().getItemsList()).isEmpty();
  }

  @Test
  void theSamePriorityChangesNothing() {
    raiseLevelTo(FeatureLevels.PRIORITY);
    WorkItem item = sm.enqueued(StateFixture.selfplay(40));

    assertThat(changed(item.getId(), 40)).isEqualTo(item);

    assertThat(sm.item(item.getId())).isEqualTo(item);
    assertThat(sm.events(EventTypes.WORK_PRIORITY_CHANGED)).isEmpty();
  }

  @Test
  void anItemThatIsNotPendingIsRefusedNamingItsState() {
    raiseLevelTo(FeatureLevels.PRIORITY);
    sm.enqueued(StateFixture.selfplay(50));
    WorkItem claimed = sm.claimOne("w1");
    WorkItem cancelled = sm.enqueued(StateFixture.selfplay(50));
    sm.apply(Commands.cancel(cancelled.getId(), "gone"));

    Rejection onClaimed = sm.rejects(setPriority(claimed.getId(), 90), RejectCode.REJECT_FAILED_PRECONDITION,
        "item_id");
    Rejection onCancelled = sm.rejects(setPriority(cancelled.getId(), 90), RejectCode.REJECT_FAILED_PRECONDITION,
        "item_id");

    assertThat(onClaimed.getMessage()).contains(claimed.getId()).contains("is claimed").contains("pending");
    assertThat(onCancelled.getMessage()).contains("is cancelled");
  }

  @Test
  void anUnknownItemIsNotFound() {
    raiseLevelTo(FeatureLevels.PRIORITY);

    Rejection rejection = sm.rejects(setPriority("w-4242", 10), RejectCode.REJECT_NOT_FOUND, "item_id");

    assertThat(rejection.getMessage()).contains("w-4242");
  }

  @Test
  void aPriorityOutsideEnqueuesRangeOrABadIdIsAnInvalidArgument() {
    raiseLevelTo(FeatureLevels.PRIORITY);
    WorkItem item = sm.enqueued(StateFixture.selfplay(50));

    Rejection tooHigh = sm.rejects(setPriority(item.getId(), 101), RejectCode.REJECT_INVALID_ARGUMENT, "priority");
    Rejection negative = sm.rejects(setPriority(item.getId(), -1), RejectCode.REJECT_INVALID_ARGUMENT, "priority");
    Rejection badId = sm.rejects(setPriority("17", 10), RejectCode.REJECT_INVALID_ARGUMENT, "item_id");
    Rejection noId = sm.rejects(setPriority("", 10), RejectCode.REJECT_INVALID_ARGUMENT, "item_id");

    assertThat(tooHigh.getMessage()).contains("101").contains("0-100");
    assertThat(negative.getMessage()).contains("-1").contains("0-100");
    assertThat(badId.getMessage()).contains("w-<number>");
    assertThat(noId.getMessage()).contains("required");
    // The edge refuses it the same way before proposing.
    assertThatThrownBy(() -> new CommandChecks(QueueLimits.defaults()).check(setPriority(item.getId(), 101).build()))
        .isInstanceOfSatisfying(Rejections.RejectedException.class,
            e -> assertThat(e.rejection().getField()).isEqualTo("priority"));
  }

  @Test
  void belowItsFeatureLevelTheCommandIsRefusedChangingNothing() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(50));

    Rejection atOne = sm.rejects(setPriority(item.getId(), 90), RejectCode.REJECT_FAILED_PRECONDITION,
        "feature_level");
    raiseLevelTo(FeatureLevels.ANNOTATE);
    Rejection atTwo = sm.rejects(setPriority(item.getId(), 90), RejectCode.REJECT_FAILED_PRECONDITION,
        "feature_level");
    // A bad body below the level is refused for the level first: nothing reads the body of a
    // command the cluster does not run yet.
    sm.rejects(setPriority(item.getId(), 101), RejectCode.REJECT_FAILED_PRECONDITION, "feature_level");

    assertThat(atOne.getMessage()).contains("current level 1");
    assertThat(atTwo.getMessage()).contains("current level 2");
    raiseLevelTo(FeatureLevels.PRIORITY);
    assertThat(changed(item.getId(), 90).getPriority()).isEqualTo(90);
    // Once used, the level cannot go back below it.
    CommandResult lowered = sm.apply(Command.newBuilder()
        .setSetFeatureLevel(SetFeatureLevelRequest.newBuilder().setLevel(FeatureLevels.ANNOTATE)));
    assertThat(lowered.getRejected().getMessage()).contains("a command of level 3 was applied");
  }
}
