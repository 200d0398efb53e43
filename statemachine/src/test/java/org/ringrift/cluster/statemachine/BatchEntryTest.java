package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/**
 * Batch entries (group commit): many commands in one log entry, each applied exactly as if it
 * were an entry of its own, committed together.
 */
class BatchEntryTest {
  private static final int MAX_BATCH = 4;

  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir.resolve("batched"), QueueLimits.defaults().withMaxBatchCommands(MAX_BATCH));
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private static Command.Builder enqueue(int priority) {
    return Command.newBuilder().setEnqueue(StateFixture.selfplay(priority));
  }

  private static RejectCode rejection(CommandResult result) {
    return result.hasRejected() ? result.getRejected().getCode() : RejectCode.REJECT_CODE_UNSPECIFIED;
  }

  @Test
  void aRejectedCommandUndoesOnlyItsOwnWritesAndItsNeighboursApply() {
    WorkItem claimed = sm.enqueued(StateFixture.selfplay(50));
    claimed = sm.claimOne("w1");
    LeaseToken stale = claimed.getLease().toBuilder().setSequence(claimed.getLease().getSequence() + 1).build();
    // Writes its first item, then fails on the second (unknown dependency): a partial write to undo.
    Command.Builder halfWritten = Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
        .addItems(StateFixture.selfplay(10)).addItems(StateFixture.selfplay(10).addDependsOn("w-999")));

    List<CommandResult> results = sm.applyBatch(
        enqueue(20),
        halfWritten,
        Commands.complete(claimed.toBuilder().setLease(stale).build(), "done"),
        enqueue(30));

    assertThat(results).extracting(CommandResult::getBodyCase).containsExactly(CommandResult.BodyCase.ENQUEUE,
        CommandResult.BodyCase.REJECTED, CommandResult.BodyCase.REJECTED, CommandResult.BodyCase.ENQUEUE);
    assertThat(results.get(1).getRejected().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(results.get(1).getRejected().getField()).isEqualTo("depends_on");
    assertThat(results.get(2).getRejected().getCode()).isEqualTo(RejectCode.REJECT_STALE_TOKEN);
    // The rolled-back enqueue_batch used no item sequence: the next item is w-3, as if it never ran.
    assertThat(results.get(0).getEnqueue().getItem().getId()).isEqualTo("w-2");
    assertThat(results.get(3).getEnqueue().getItem().getId()).isEqualTo("w-3");
    assertThat(sm.item(claimed.getId()).getState()).isEqualTo(WorkState.WORK_STATE_CLAIMED);
    assertThat(sm.stats().getPending()).isEqualTo(2);
    assertThat(sm.stats().getStaleTokenRejections()).isEqualTo(1);
    assertThat(sm.state.applied()).isEqualTo(new LogPosition(sm.term, sm.index));
  }

  @Test
  void aFencedLeaderCommandIsRejectedAloneAndCounted() {
    sm.term = 5;
    List<CommandResult> results = sm.applyBatch(
        enqueue(20),
        Commands.expireLeases(10).setExpectedTerm(4),
        enqueue(30),
        Commands.expireLeases(10).setExpectedTerm(5));

    assertThat(results).extracting(BatchEntryTest::rejection).containsExactly(RejectCode.REJECT_CODE_UNSPECIFIED,
        RejectCode.REJECT_FENCED, RejectCode.REJECT_CODE_UNSPECIFIED, RejectCode.REJECT_CODE_UNSPECIFIED);
    assertThat(results.get(1).getRejected().getField()).isEqualTo("expected_term");
    assertThat(results.get(3).hasItems()).isTrue();
    assertThat(sm.stats().getPending()).isEqualTo(2);
    assertThat(sm.stats().getFencedRejections()).isEqualTo(1);
  }

  @Test
  void laterCommandsSeeTheEffectsOfEarlierOnes() {
    // The id and the lease token a claim hands out are deterministic, so a proposer (and this
    // test) can name them before the entry applies.
    LeaseToken token = LeaseToken.newBuilder().setTerm(sm.term).setSequence(1).build();
    WorkItem item = WorkItem.newBuilder().setId("w-1").setLease(token).build();

    List<CommandResult> results = sm.applyBatch(
        enqueue(50),
        Commands.claim("w1", "", 1),
        Commands.complete(item, "ok"));

    assertThat(results.get(1).getClaim().getItemsList()).extracting(WorkItem::getId).containsExactly("w-1");
    assertThat(results.get(1).getClaim().getItems(0).getLease()).isEqualTo(token);
    assertThat(results.get(2).getItem().getItem().getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
    assertThat(sm.item("w-1").getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
  }

  @Test
  void theStateClockAdvancesPerCommandAndRejectedCommandsDoNotMoveIt() {
    long t = sm.nowMs;
    Command.Builder entry = StateFixture.batch(t, List.of(
        enqueue(1).setNowMs(t + 100),
        enqueue(2).setNowMs(t + 50),
        Commands.cancel("w-999", "gone").setNowMs(t + 10_000),
        enqueue(3).setNowMs(t + 200)));
    // The outer command's time is unused: only each command's own now_ms counts.
    CommandResult result = sm.state.apply(entry.setNowMs(t + 1_000_000).build(), new LogPosition(sm.term, ++sm.index));

    List<CommandResult> results = result.getBatch().getResultsList();
    assertThat(results.get(0).getEnqueue().getItem().getCreatedMs()).isEqualTo(t + 100);
    assertThat(results.get(1).getEnqueue().getItem().getCreatedMs()).as("never goes back").isEqualTo(t + 100);
    assertThat(results.get(2).getRejected().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(results.get(3).getEnqueue().getItem().getCreatedMs()).as("not moved by the rejected cancel")
        .isEqualTo(t + 200);
  }

  @Test
  void aBatchLeavesTheSameStateAsTheSameCommandsOnePerEntry() {
    sm.term = 3;
    List<Command.Builder> commands = List.of(
        enqueue(10), enqueue(90), Commands.claim("w1", "n1", 2),
        Commands.extend("w-2", LeaseToken.newBuilder().setTerm(3).setSequence(7).build(), 60_000),
        Commands.expireLeases(1).setExpectedTerm(2), Commands.cancel("w-1", "not needed"));
    try (StateFixture oneByOne = new StateFixture(dir.resolve("singles"))) {
      oneByOne.term = 3;
      List<CommandResult> expected = commands.stream().map(c -> oneByOne.apply(c.clone())).toList();

      sm.applyBatch(commands.subList(0, 3).toArray(Command.Builder[]::new));
      List<CommandResult> rest = sm.applyBatch(commands.subList(3, 6).toArray(Command.Builder[]::new));

      assertThat(rest).extracting(BatchEntryTest::rejection).containsExactly(RejectCode.REJECT_STALE_TOKEN,
          RejectCode.REJECT_FENCED, RejectCode.REJECT_CODE_UNSPECIFIED);
      assertThat(rest).isEqualTo(expected.subList(3, 6));
      // The one difference a batch makes: each event records its batch entry's index. The first
      // batch (2 enqueues, 2 claims: 4 events) is entry sm.index - 1, the cancel is in the second.
      assertThat(sm.events()).extracting(e -> e.getLogIndex())
          .containsExactly(sm.index - 1, sm.index - 1, sm.index - 1, sm.index - 1, sm.index);
      assertThat(oneByOne.events()).extracting(e -> e.getLogIndex()).containsExactly(1L, 2L, 3L, 3L, 6L);
      assertThat(sm.events()).extracting(e -> e.getType()).isEqualTo(oneByOne.events().stream().map(e -> e.getType())
          .toList());
      assertThat(StateDumps.withoutEventIndexes(sm.store)).isEqualTo(StateDumps.withoutEventIndexes(oneByOne.store));
      assertThat(sm.stats()).isEqualTo(oneByOne.stats());
      assertThat(sm.stats().getStaleTokenRejections()).isEqualTo(1);
      assertThat(sm.stats().getFencedRejections()).isEqualTo(1);
    }
  }

  @Test
  void withoutEventsTheDigestOfABatchedStateEqualsTheOnePerEntryDigest() {
    // Commands that emit no event (work commands do: enqueued, claimed, ...), so the event log
    // indexes, the one thing a batch changes, do not enter the digest.
    List<Command.Builder> commands = List.of(Commands.cancel("w-9", "unknown"), Commands.expireLeases(1),
        Commands.prune(10), Commands.cancel("w-8", "unknown"));
    try (StateFixture oneByOne = new StateFixture(dir.resolve("singles"))) {
      commands.forEach(c -> oneByOne.apply(c.clone()));

      sm.applyBatch(commands.toArray(Command.Builder[]::new));

      assertThat(sm.events()).isEmpty();
      assertThat(sm.digest()).isEqualTo(oneByOne.digest());
    }
  }

  @Test
  void aReplayedBatchEntryChangesNothingAndAnswersReplayedPerCommand() {
    sm.applyBatch(enqueue(10), Commands.claim("w1", "", 1), enqueue(20));
    Command entry = StateFixture.batch(sm.nowMs, List.of(enqueue(30), enqueue(40))).build();
    LogPosition position = new LogPosition(sm.term, ++sm.index);
    sm.state.apply(entry, position);
    String digest = sm.digest();

    sm.reopen();
    CommandResult again = sm.state.apply(entry, position);
    CommandResult older = sm.state.apply(entry, new LogPosition(sm.term, position.index() - 1));

    for (CommandResult replay : List.of(again, older)) {
      assertThat(replay.getBatch().getResultsList()).hasSize(2)
          .allSatisfy(r -> assertThat(r.getReplayed()).isTrue());
    }
    assertThat(sm.digest()).isEqualTo(digest);
    assertThat(sm.state.applied()).isEqualTo(position);
    assertThat(sm.stats().getPending()).isEqualTo(3);
  }

  @Test
  void anEmptyBatchIsRefusedAsAWhole() {
    Rejection rejection = sm.rejects(StateFixture.batch(sm.nowMs, List.of()), RejectCode.REJECT_INVALID_ARGUMENT,
        "commands");

    assertThat(rejection.getMessage()).contains("at least one command");
  }

  @Test
  void aBatchOverTheLimitIsRefusedAsAWholeNamingTheLimit() {
    List<Command.Builder> tooMany = IntStream.range(0, MAX_BATCH + 1).mapToObj(BatchEntryTest::enqueue).toList();

    Rejection rejection = sm.rejects(StateFixture.batch(sm.nowMs, tooMany), RejectCode.REJECT_INVALID_ARGUMENT,
        "commands");

    assertThat(rejection.getMessage()).contains(Integer.toString(MAX_BATCH + 1)).contains(Integer.toString(MAX_BATCH))
        .contains("maxBatchCommands");
    assertThat(sm.applyBatch(tooMany.subList(0, MAX_BATCH).toArray(Command.Builder[]::new)))
        .as("exactly at the limit").noneMatch(CommandResult::hasRejected);
  }

  @Test
  void aBatchInsideABatchIsRefusedAloneAndItsCommandsDoNotApply() {
    Command.Builder nested = StateFixture.batch(sm.nowMs, List.of(enqueue(99)));

    List<CommandResult> results = sm.applyBatch(enqueue(10), nested, enqueue(20));

    assertThat(results).extracting(BatchEntryTest::rejection).containsExactly(RejectCode.REJECT_CODE_UNSPECIFIED,
        RejectCode.REJECT_INVALID_ARGUMENT, RejectCode.REJECT_CODE_UNSPECIFIED);
    assertThat(results.get(1).getRejected().getField()).isEqualTo("batch");
    assertThat(sm.stats().getPending()).isEqualTo(2);
    assertThat(sm.item("w-1").getPriority()).isEqualTo(10);
    assertThat(sm.item("w-2").getPriority()).isEqualTo(20);
  }

}
