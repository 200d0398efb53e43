package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.AnnotateItemRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.GetFeatureLevelRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.features.UnsupportedFeatureLevelException;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;
import org.ringrift.cluster.statemachine.store.StateStore;
import org.ringrift.cluster.statemachine.store.StoreFormat;

/** The replicated feature level: the gate, raising and lowering, and a binary that is too old. */
class FeatureLevelTest {
  private static final FeatureSupport OLD = FeatureLevels.BUILD.capped(FeatureLevels.BASE);

  @TempDir Path dir;
  @TempDir Path otherDir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private static Command.Builder setLevel(int level) {
    return Command.newBuilder().setSetFeatureLevel(SetFeatureLevelRequest.newBuilder().setLevel(level));
  }

  private static Command.Builder annotate(String id, String note) {
    return Command.newBuilder().setAnnotateItem(AnnotateItemRequest.newBuilder().setItemId(id).setNote(note));
  }

  private int level() {
    return sm.query(Query.newBuilder().setGetFeatureLevel(GetFeatureLevelRequest.getDefaultInstance()))
        .getFeatureLevel().getLevel();
  }

  private ReplicatedState withSupport(StateStore store, FeatureSupport support) {
    return new ReplicatedState(store, QueueLimits.defaults(), SessionLimits.defaults(), true, support);
  }

  @Test
  void aNewStateIsAtTheBaseLevelAndRefusesALevelTwoCommandChangingNothing() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(50));
    String before = sm.digest();

    CommandResult refused = sm.apply(annotate(item.getId(), "hot"));

    assertThat(level()).isEqualTo(1);
    assertThat(refused.getRejected().getCode()).isEqualTo(RejectCode.REJECT_FAILED_PRECONDITION);
    assertThat(refused.getRejected().getField()).isEqualTo("feature_level");
    assertThat(refused.getRejected().getMessage()).contains("current level 1").contains("rrctl cluster upgrade");
    assertThat(sm.digest()).isEqualTo(before);
    assertThat(sm.item(item.getId()).getNote()).isEmpty();
  }

  @Test
  void afterRaisingTheLevelTheCommandApplies() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(50));

    CommandResult raised = sm.apply(setLevel(2));
    CommandResult annotated = sm.apply(annotate(item.getId(), "hot"));

    assertThat(raised.getFeatureLevel().getLevel()).isEqualTo(2);
    assertThat(raised.getFeatureLevel().getPrevious()).isEqualTo(1);
    assertThat(annotated.getItem().getItem().getNote()).isEqualTo("hot");
    assertThat(sm.item(item.getId()).getNote()).isEqualTo("hot");
    assertThat(sm.item(item.getId()).getState()).isEqualTo(item.getState());
  }

  @Test
  void loweringIsAllowedUntilACommandOfTheLevelApplied() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(50));
    sm.apply(setLevel(2));
    assertThat(sm.apply(setLevel(1)).getFeatureLevel().getLevel()).isEqualTo(1);

    sm.apply(setLevel(2));
    sm.apply(annotate(item.getId(), "x"));
    CommandResult lowered = sm.apply(setLevel(1));

    assertThat(lowered.getRejected().getCode()).isEqualTo(RejectCode.REJECT_FAILED_PRECONDITION);
    assertThat(lowered.getRejected().getMessage()).contains("a command of level 2 was applied");
    assertThat(level()).isEqualTo(2);
  }

  @Test
  void levelsOutsideTheValidRangeAreInvalid() {
    assertThat(sm.apply(setLevel(0)).getRejected().getField()).isEqualTo("level");
    assertThat(sm.apply(setLevel(1001)).getRejected().getCode()).isEqualTo(RejectCode.REJECT_INVALID_ARGUMENT);
  }

  @Test
  void aBinaryTooOldForTheNewLevelStopsAtThatEntryWritingNothing() {
    sm.enqueued(StateFixture.selfplay(50));
    sm.state = withSupport(sm.store, OLD);
    LogPosition before = sm.store.applied();
    String digest = sm.digest();

    assertThatThrownBy(() -> sm.apply(setLevel(2)))
        .isInstanceOf(UnsupportedFeatureLevelException.class)
        .hasMessageContaining("feature level to 2").hasMessageContaining("supports 1-1");
    assertThat(sm.store.applied()).isEqualTo(before);
    assertThat(sm.digest()).isEqualTo(digest);
  }

  @Test
  void aBinaryTooOldForTheStoredLevelIsToldAtOpen() {
    sm.apply(setLevel(2));

    assertThatThrownBy(() -> withSupport(sm.store, OLD).requireSupportedLevel())
        .isInstanceOf(UnsupportedFeatureLevelException.class).hasMessageContaining("is at feature level 2");
    withSupport(sm.store, FeatureLevels.BUILD).requireSupportedLevel();
  }

  @Test
  void anOldAndANewReplicaAgreeOnEverythingBelowTheOldOnesLevel() {
    try (StateFixture old = new StateFixture(otherDir)) {
      old.state = withSupport(old.store, OLD);
      for (StateFixture replica : new StateFixture[] {sm, old}) {
        WorkItem item = replica.enqueued(StateFixture.selfplay(50));
        replica.apply(annotate(item.getId(), "refused at level 1"));
        replica.apply(unknownCommand());
        replica.apply(Command.newBuilder().setBatch(org.ringrift.cluster.proto.CommandBatch.newBuilder()
            .addCommands(annotate(item.getId(), "in a batch").setNowMs(replica.nowMs))
            .addCommands(Command.newBuilder().setEnqueue(StateFixture.selfplay(10)).setNowMs(replica.nowMs))));
      }
      assertThat(old.digest()).isEqualTo(sm.digest());
      assertThat(old.dump()).isEqualTo(sm.dump());
    }
  }

  /** A command of a later build: a body field this build does not know, kept as an unknown field. */
  private static Command.Builder unknownCommand() {
    return Command.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("x"))
            .build()).build());
  }

  @Test
  void aCommandThisBuildDoesNotKnowIsRefusedAtEveryLevelItSupports() throws Exception {
    Command parsed = Command.parseFrom(unknownCommand().build().toByteArray());
    assertThat(FeatureLevels.unregistered(parsed)).isEqualTo(FeatureLevels.UNKNOWN);

    CommandResult atOne = sm.apply(parsed.toBuilder());
    sm.apply(setLevel(2));
    CommandResult atTwo = sm.apply(parsed.toBuilder());

    assertThat(atOne.getRejected().getField()).isEqualTo("feature_level");
    assertThat(atTwo.getRejected().getMessage()).contains("current level 2");
    // An empty command is no later build's: it stays a plain invalid argument.
    assertThat(sm.apply(Command.newBuilder()).getRejected().getField()).isEqualTo("body");
  }

  @Test
  void aStoreOfANewerFormatIsRefusedAtOpenAndAnUnversionedOneIsReadAsFormatOne() {
    sm.enqueued(StateFixture.selfplay(50));
    String digest = sm.digest();
    // A store from before format versions: no key.
    try (org.ringrift.cluster.statemachine.store.Batch batch = sm.store.newBatch()) {
      batch.delete(Family.META, MetaKeys.STORE_FORMAT);
      sm.store.commit(batch, sm.store.applied());
    }
    sm.reopen();
    assertThat(sm.store.format()).isEqualTo(StoreFormat.CURRENT);
    assertThat(sm.digest()).isEqualTo(digest);

    try (StateStore newer = StateStore.open(otherDir);
        org.ringrift.cluster.statemachine.store.Batch batch = newer.newBatch()) {
      batch.put(Family.META, MetaKeys.STORE_FORMAT, Bytes.encodeLong(StoreFormat.CURRENT + 1));
      newer.commit(batch, new LogPosition(1, 1));
    }
    assertThatThrownBy(() -> StateStore.open(otherDir))
        .isInstanceOf(StoreFormat.UnsupportedStoreFormatException.class)
        .hasMessageContaining("format version " + (StoreFormat.CURRENT + 1))
        .hasMessageContaining("newer build");
  }
}
