package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;

/**
 * Every client write sent twice with the same (session, seq), as a client does when the reply to
 * the first was lost: the second answers the first's result exactly and changes nothing.
 */
class SessionWritesTest {
  @TempDir Path dir;

  /** A write and the state it needs, built on the fixture before the write is sent. */
  record Write(String name, Function<StateFixture, Command.Builder> prepare) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Write> writes() {
    return Stream.of(
        new Write("enqueue without idempotency key", sm -> Command.newBuilder().setEnqueue(StateFixture.selfplay(50))),
        new Write("enqueue_batch", sm -> Command.newBuilder().setEnqueueBatch(EnqueueBatchRequest.newBuilder()
            .addItems(StateFixture.selfplay(10)).addItems(StateFixture.selfplay(20)))),
        new Write("claim", sm -> {
          sm.enqueued(StateFixture.selfplay(50));
          sm.enqueued(StateFixture.selfplay(40));
          return Commands.claim("w1", "n1", 1);
        }),
        new Write("extend", sm -> Commands.extend(leased(sm), 60_000)),
        new Write("start", sm -> Commands.start(leased(sm))),
        new Write("complete", sm -> Commands.complete(leased(sm), "done")),
        new Write("fail", sm -> Commands.fail(leased(sm), "boom", false)),
        new Write("release", sm -> Commands.release(leased(sm))),
        new Write("cancel", sm -> Commands.cancel(sm.enqueued(StateFixture.selfplay(50)).getId(), "not needed")),
        new Write("redrive", sm -> Commands.redrive(deadLetter(sm).getId())),
        new Write("heartbeat", sm -> Commands.heartbeat("n1", "gpu")),
        new Write("set_config", sm -> Commands.setConfig("queue.pending_soft_limit", "50")),
        new Write("set_daemon_desired", sm -> Commands.daemon("job_reaper", false)),
        new Write("blacklist_node", sm -> {
          sm.apply(Commands.heartbeat("n1"));
          return Commands.blacklist("n1", 60_000, "flaky");
        }),
        new Write("unblacklist_node", sm -> {
          sm.apply(Commands.heartbeat("n1"));
          sm.apply(Commands.blacklist("n1", 60_000, "flaky"));
          return Commands.unblacklist("n1");
        }),
        new Write("drain_node", sm -> {
          sm.apply(Commands.heartbeat("n1"));
          return Commands.drain("n1", true);
        }));
  }

  private static WorkItem leased(StateFixture sm) {
    sm.enqueued(StateFixture.selfplay(50));
    return sm.claimOne("w1");
  }

  private static WorkItem deadLetter(StateFixture sm) {
    sm.enqueued(StateFixture.selfplay(50).setMaxAttempts(1));
    WorkItem item = sm.claimOne("w1");
    CommandResult failed = sm.apply(Commands.fail(item, "boom", true));
    assertThat(failed.getItem().getItem().getState()).isEqualTo(WorkState.WORK_STATE_FAILED);
    return failed.getItem().getItem();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writes")
  void aResendOfTheSameSeqAnswersTheFirstResultAndChangesNothing(Write write) {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      Command.Builder command = write.prepare().apply(sm);

      CommandResult first = client.send(command);

      assertThat(first.hasRejected()).as("%s: %s", write, first.getRejected()).isFalse();
      client.assertResendIsDeduplicated(client.lastSeq, command, first);
      client.assertResendIsDeduplicated(client.lastSeq, command, first);
      assertThat(client.info().getResultsHeld()).isEqualTo(1);
      assertThat(client.info().getLastSeq()).isEqualTo(1);
    }
  }

  @Test
  void aRetriedClaimGetsTheSameItemAndTokenAndLeasesNothingMore() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      sm.enqueued(StateFixture.selfplay(50));
      sm.enqueued(StateFixture.selfplay(40));

      WorkItem first = client.send(Commands.claim("w1", "n1", 1)).getClaim().getItems(0);
      WorkItem again = client.resend(client.lastSeq, Commands.claim("w1", "n1", 1)).getClaim().getItems(0);

      assertThat(again.getId()).isEqualTo(first.getId());
      assertThat(again.getLease()).isEqualTo(first.getLease());
      assertThat(sm.stats().getClaimed()).isEqualTo(1);
      assertThat(sm.stats().getPending()).isEqualTo(1);
      // The token still works: the resend did not lease the item again under a new one.
      assertThat(sm.complete(first.getId(), first.getLease()).hasRejected()).isFalse();
    }
  }

  /** The contrast that makes the tests above mean something: without a session a resend applies again. */
  @Test
  void withoutASessionAResendAppliesAgain() {
    try (StateFixture sm = new StateFixture(dir)) {
      sm.enqueued(StateFixture.selfplay(50));
      sm.enqueued(StateFixture.selfplay(40));

      WorkItem first = sm.claimOne("w1");
      WorkItem again = sm.claimOne("w1");

      assertThat(again.getId()).isNotEqualTo(first.getId());
      assertThat(sm.stats().getClaimed()).isEqualTo(2);
    }
  }
}
