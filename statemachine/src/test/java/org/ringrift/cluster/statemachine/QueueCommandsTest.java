package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

class QueueCommandsTest {
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
  void enqueueCreatesPendingItemWithDefaults() {
    WorkItem item = sm.enqueue(StateFixture.selfplay(50)).getEnqueue().getItem();

    assertThat(item.getId()).isEqualTo("w-1");
    assertThat(item.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(item.getMaxAttempts()).isEqualTo(3);
    assertThat(item.getCreatedMs()).isEqualTo(sm.nowMs);
    assertThat(sm.stats().getPending()).isEqualTo(1);
  }

  @Test
  void claimTakesHighestPriorityThenOldest() {
    sm.enqueue(StateFixture.selfplay(10));
    sm.enqueue(StateFixture.selfplay(90));
    sm.enqueue(StateFixture.selfplay(90).setType(WorkType.WORK_TYPE_TRAINING));
    sm.enqueue(StateFixture.selfplay(50));

    CommandResult claimed = sm.claim("w1", 3);

    assertThat(claimed.getClaim().getItemsList()).extracting(WorkItem::getId)
        .containsExactly("w-2", "w-3", "w-4");
    WorkItem first = claimed.getClaim().getItems(0);
    assertThat(first.getState()).isEqualTo(WorkState.WORK_STATE_CLAIMED);
    assertThat(first.getClaimedBy()).isEqualTo("w1");
    assertThat(first.getAttempts()).isEqualTo(1);
    assertThat(first.getLease().getTerm()).isEqualTo(sm.term);
    assertThat(sm.stats().getPending()).isEqualTo(1);
    assertThat(sm.stats().getClaimed()).isEqualTo(3);
  }

  @Test
  void claimOnEmptyQueueReturnsNothing() {
    assertThat(sm.claim("w1", 10).getClaim().getItemsList()).isEmpty();
  }

  @Test
  void completeWithCurrentTokenCompletesAndIsIdempotent() {
    sm.enqueue(StateFixture.selfplay(50));
    WorkItem claimed = sm.claim("w1", 1).getClaim().getItems(0);

    WorkItem done = sm.complete(claimed.getId(), claimed.getLease()).getItem().getItem();
    CommandResult again = sm.complete(claimed.getId(), claimed.getLease());

    assertThat(done.getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
    assertThat(again.getItem().getItem()).isEqualTo(done);
    assertThat(sm.stats().getCompleted()).isEqualTo(1);
    assertThat(sm.stats().getClaimed()).isZero();
  }

  @Test
  void completeWithStaleTokenIsRejectedCountedAndChangesNothing() {
    sm.enqueue(StateFixture.selfplay(50));
    WorkItem claimed = sm.claim("w1", 1).getClaim().getItems(0);
    String before = sm.digest();
    LeaseToken stale = claimed.getLease().toBuilder().setSequence(claimed.getLease().getSequence() + 7).build();

    CommandResult result = sm.complete(claimed.getId(), stale);

    assertThat(result.getRejected().getCode()).isEqualTo(RejectCode.REJECT_STALE_TOKEN);
    assertThat(result.getRejected().getMessage()).contains(claimed.getId());
    assertThat(sm.stats().getStaleTokenRejections()).isEqualTo(1);
    assertThat(sm.stats().getClaimed()).isEqualTo(1);
    assertThat(getItem(claimed.getId())).isEqualTo(claimed);
    assertThat(sm.digest()).isNotEqualTo(before); // only the counter moved
  }

  @Test
  void invalidEnqueuesNameTheFieldAndLimitAndChangeNothing() {
    String before = sm.digest();

    assertRejected(sm.enqueue(StateFixture.selfplay(101)), "priority", "0-100");
    assertRejected(sm.enqueue(StateFixture.selfplay(50).setType(WorkType.WORK_TYPE_UNSPECIFIED)), "type", "selfplay");
    // A value this build does not know (a newer client's type) is named, not called "required".
    assertRejected(sm.enqueue(StateFixture.selfplay(50).setTypeValue(99)), "type", "unknown work type 99");
    assertRejected(sm.enqueue(StateFixture.selfplay(50).setPayload(ByteString.copyFrom(new byte[64 * 1024 + 1]))),
        "payload", "65536");
    assertRejected(sm.enqueue(StateFixture.selfplay(50).setMaxAttempts(1000)), "max_attempts", "1-100");

    assertThat(sm.digest()).isEqualTo(before);
  }

  @Test
  void unknownAndMalformedItemIdsAreRejected() {
    CommandResult unknown = sm.complete("w-99", LeaseToken.newBuilder().setTerm(1).setSequence(1).build());
    CommandResult malformed = sm.complete("bogus", LeaseToken.getDefaultInstance());

    assertThat(unknown.getRejected().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(malformed.getRejected().getCode()).isEqualTo(RejectCode.REJECT_INVALID_ARGUMENT);
    assertThat(malformed.getRejected().getField()).isEqualTo("item_id");
  }

  @Test
  void idempotencyKeyReturnsTheFirstItem() {
    WorkItem first = sm.enqueue(StateFixture.selfplay(50).setIdempotencyKey("k1")).getEnqueue().getItem();
    CommandResult second = sm.enqueue(StateFixture.selfplay(80).setIdempotencyKey("k1"));

    assertThat(second.getEnqueue().getCreated()).isFalse();
    assertThat(second.getEnqueue().getItem()).isEqualTo(first);
    assertThat(sm.stats().getPending()).isEqualTo(1);
  }

  @Test
  void fencedCommandIsRejectedWhenTermMoved() {
    sm.term = 3;
    CommandResult result = sm.apply(Command.newBuilder().setExpectedTerm(2).setEnqueue(StateFixture.selfplay(50)));

    assertThat(result.getRejected().getCode()).isEqualTo(RejectCode.REJECT_FENCED);
    assertThat(sm.stats().getPending()).isZero();
  }

  @Test
  void replayedEntriesChangeNothing() {
    sm.enqueue(StateFixture.selfplay(50));
    sm.claim("w1", 1);
    String digest = sm.digest();
    LogPosition applied = sm.state.applied();

    sm.reopen();
    CommandResult replay = sm.state.apply(
        Command.newBuilder().setNowMs(sm.nowMs).setEnqueue(StateFixture.selfplay(50)).build(),
        new LogPosition(1, applied.index()));

    assertThat(replay.getReplayed()).isTrue();
    assertThat(sm.state.applied()).isEqualTo(applied);
    assertThat(sm.digest()).isEqualTo(digest);
  }

  @Test
  void stateClockNeverGoesBack() {
    sm.enqueue(StateFixture.selfplay(50));
    sm.nowMs -= 10_000;
    WorkItem later = sm.enqueue(StateFixture.selfplay(50)).getEnqueue().getItem();

    assertThat(later.getCreatedMs()).isEqualTo(sm.nowMs + 10_000);
  }

  private WorkItem getItem(String id) {
    return sm.query(Query.newBuilder().setGetItem(GetItemRequest.newBuilder().setItemId(id))).getGetItem().getItem();
  }

  private static void assertRejected(CommandResult result, String field, String limit) {
    assertThat(result.getRejected().getCode()).isEqualTo(RejectCode.REJECT_INVALID_ARGUMENT);
    assertThat(result.getRejected().getField()).isEqualTo(field);
    assertThat(result.getRejected().getMessage()).contains(limit);
  }
}
