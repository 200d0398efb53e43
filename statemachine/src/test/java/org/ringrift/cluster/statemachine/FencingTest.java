package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;

/** Term fencing of leader work (invariant 2) and the leader-only commands. */
class FencingTest {
  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
    sm.apply(Commands.heartbeat("n1"));
  }

  @AfterEach
  void close() {
    sm.close();
  }

  /** Every leader-only command, valid apart from its term. */
  private static List<Supplier<Command.Builder>> leaderOnly() {
    return List.of(
        () -> Commands.expireLeases(10),
        () -> Commands.prune(10),
        () -> Commands.health("n1", NodeHealth.NODE_HEALTH_DEAD),
        () -> Commands.recordLeader("n1"),
        () -> Commands.planSync(Commands.plan("a")));
  }

  @Test
  void leaderOnlyCommandsWithoutATermAreInvalidAndNotCounted() {
    for (Supplier<Command.Builder> command : leaderOnly()) {
      sm.rejects(command.get(), RejectCode.REJECT_INVALID_ARGUMENT, "expected_term");
    }
    assertThat(sm.stats().getFencedRejections()).isZero();
  }

  @Test
  void leaderOnlyCommandsFromAnotherTermAreFencedAndCounted() {
    sm.term = 7;
    for (Supplier<Command.Builder> command : leaderOnly()) {
      Rejected.fenced(sm, command.get().setExpectedTerm(6));
      Rejected.fenced(sm, command.get().setExpectedTerm(8));
    }
    assertThat(sm.stats().getFencedRejections()).isEqualTo(10);
  }

  @Test
  void leaderOnlyCommandsOfTheEntryTermApply() {
    sm.term = 7;
    for (Supplier<Command.Builder> command : leaderOnly()) {
      CommandResult result = sm.applyAsLeader(command.get());
      assertThat(result.hasRejected()).as("%s", result.getRejected()).isFalse();
    }
  }

  @Test
  void anyCommandThatCarriesATermIsFencedByIt() {
    sm.term = 3;
    Rejected.fenced(sm, Command.newBuilder().setEnqueue(StateFixture.selfplay(1)).setExpectedTerm(2));
    Rejected.fenced(sm, Commands.daemon("job_reaper", false).setExpectedTerm(2));

    assertThat(sm.apply(Command.newBuilder().setEnqueue(StateFixture.selfplay(1)).setExpectedTerm(3)).hasEnqueue())
        .isTrue();
    assertThat(sm.stats().getFencedRejections()).isEqualTo(2);
  }

  @Test
  void anOldLeaderCannotExpireLeasesAfterAnElection() {
    sm.enqueued(StateFixture.selfplay(1));
    WorkItem item = sm.claimOne("w1");
    sm.nowMs = item.getLeaseExpiresMs();
    long oldTerm = sm.term;

    sm.term++; // a new leader was elected; the old one was paused and proposes late
    Rejected.fenced(sm, Commands.expireLeases(10).setExpectedTerm(oldTerm));

    assertThat(sm.item(item.getId()).getState()).isEqualTo(WorkState.WORK_STATE_CLAIMED);
    assertThat(sm.applyAsLeader(Commands.expireLeases(10)).getItems().getItemsList()).hasSize(1);
  }

  private java.util.List<org.ringrift.cluster.proto.Event> events() {
    return sm.query(org.ringrift.cluster.proto.Query.newBuilder().setRecentEvents(
        org.ringrift.cluster.proto.RecentEventsRequest.newBuilder().setLimit(100))).getRecentEvents().getEventsList();
  }

  @Test
  void eventsRecordTheTermTheirCommandWasProposedIn() {
    sm.enqueued(StateFixture.selfplay(1));
    WorkItem item = sm.claimOne("w1");
    sm.nowMs = item.getLeaseExpiresMs();
    sm.term = 4;

    sm.applyAsLeader(Commands.expireLeases(10));

    org.ringrift.cluster.proto.Event retry = events().stream().filter(e -> e.getType().equals("WORK_RETRY"))
        .findFirst().orElseThrow();
    assertThat(retry.getProposedTerm()).isEqualTo(4);
    assertThat(retry.getTerm()).isEqualTo(4);
  }

  @Test
  void withFencingSwitchedOffAnOldLeadersExpiryAppliesAndItsEventShowsIt() {
    sm.state = new ReplicatedState(sm.store, org.ringrift.cluster.statemachine.queue.QueueLimits.defaults(), false);
    sm.enqueued(StateFixture.selfplay(1));
    WorkItem item = sm.claimOne("w1");
    sm.nowMs = item.getLeaseExpiresMs();
    long oldTerm = sm.term;
    sm.term++;

    CommandResult stale = sm.apply(Commands.expireLeases(10).setExpectedTerm(oldTerm));

    assertThat(stale.hasRejected()).isFalse();
    assertThat(sm.item(item.getId()).getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(events()).anySatisfy(e -> {
      assertThat(e.getProposedTerm()).isEqualTo(oldTerm);
      assertThat(e.getTerm()).isEqualTo(oldTerm + 1);
    });
  }

  @Test
  void leaseTokensFromAnEarlierTermStayValidForTheirOwnLease() {
    sm.enqueued(StateFixture.selfplay(1));
    WorkItem item = sm.claimOne("w1");
    sm.term += 2;

    assertThat(sm.apply(Commands.complete(item, "ok")).getItem().getItem().getState())
        .isEqualTo(WorkState.WORK_STATE_COMPLETED);
  }

  @Test
  void rejectionsStillAdvanceTheAppliedIndexButNotTheClock() {
    sm.enqueued(StateFixture.selfplay(1));
    long clock = sm.nowMs;
    sm.nowMs += 60_000;
    sm.term = 2;
    Rejected.fenced(sm, Commands.expireLeases(1).setExpectedTerm(1));

    sm.nowMs = clock + 1;
    WorkItem later = sm.enqueued(StateFixture.selfplay(1));
    assertThat(later.getCreatedMs()).isEqualTo(clock + 1);
  }
}
