package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.SessionRef;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Client sessions: exactly-once writes, their limits, expiry and eviction. */
class SessionsTest {
  private static final long IDLE_MS = 60_000;
  private static final int PER_WRITE = 1024;

  @TempDir Path dir;

  private static SessionLimits limits(int maxSessions, int maxResults, long totalBytes) {
    return new SessionLimits(maxSessions, maxResults, totalBytes, PER_WRITE, IDLE_MS, 128);
  }

  private static Command.Builder enqueue(int priority) {
    return Command.newBuilder().setEnqueue(StateFixture.selfplay(priority));
  }

  /** An enqueue whose result is about {@code payloadBytes} + 70 bytes. */
  private static Command.Builder enqueueOf(int payloadBytes) {
    return Command.newBuilder().setEnqueue(StateFixture.selfplay(50).setPayload(ByteString.copyFrom(new byte[payloadBytes])));
  }

  private static Rejection rejected(CommandResult result, RejectCode code, String field) {
    assertThat(result.hasRejected()).as("expected %s, got %s", code, result).isTrue();
    assertThat(result.getRejected().getCode()).as("%s", result.getRejected()).isEqualTo(code);
    assertThat(result.getRejected().getField()).as("%s", result.getRejected()).isEqualTo(field);
    return result.getRejected();
  }

  private static List<Long> openIds(StateFixture sm) {
    return SessionClient.sessions(sm).getSessionsList().stream().map(SessionInfo::getSessionId).toList();
  }

  @Test
  void sessionsAreNumberedFromOneAndListedWithTheirResults() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient ops = SessionClient.open(sm, "rrctl@ops");
      sm.nowMs += 5;
      SessionClient worker = SessionClient.open(sm, "worker-7");
      CommandResult first = worker.send(enqueue(50));

      assertThat(ops.id).isEqualTo(1);
      assertThat(worker.id).isEqualTo(2);
      ListSessionsResult list = SessionClient.sessions(sm);
      assertThat(list.getOpen()).isEqualTo(2);
      assertThat(list.getResultBytes()).isEqualTo(first.getSerializedSize());
      assertThat(ops.info()).isEqualTo(SessionInfo.newBuilder().setSessionId(1).setClientName("rrctl@ops")
          .setOpenedMs(sm.nowMs - 5).setLastActiveMs(sm.nowMs - 5).build());
      assertThat(worker.info()).isEqualTo(SessionInfo.newBuilder().setSessionId(2).setClientName("worker-7")
          .setOpenedMs(sm.nowMs).setLastActiveMs(sm.nowMs).setLastSeq(1).setResultsHeld(1)
          .setResultBytes(first.getSerializedSize()).build());
    }
  }

  @Test
  void aRejectedWriteIsStoredSoItsResendGetsTheSameRejection() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      sm.enqueued(StateFixture.selfplay(50));
      WorkItem item = sm.claimOne("w1");
      LeaseToken stale = item.getLease().toBuilder().setSequence(item.getLease().getSequence() + 1).build();
      Command.Builder complete = Commands.complete(item.toBuilder().setLease(stale).build(), "done");

      CommandResult first = client.send(complete);

      rejected(first, RejectCode.REJECT_STALE_TOKEN, "token");
      // The command's writes were rolled back; the session's bookkeeping, written after, was not.
      assertThat(client.info().getResultsHeld()).isEqualTo(1);
      client.assertResendIsDeduplicated(1, complete, first);
      assertThat(sm.stats().getStaleTokenRejections()).as("counted once, by the write that applied").isEqualTo(1);
    }
  }

  @Test
  void aResendInsideTheSameBatchEntryAnswersTheFirstResult() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");

      List<CommandResult> results = sm.applyBatch(client.next(enqueue(50)), client.at(1, enqueue(50)),
          client.next(enqueue(40)));

      assertThat(results.get(1)).isEqualTo(results.get(0));
      assertThat(results.get(0).getEnqueue().getItem().getId()).isEqualTo("w-1");
      assertThat(results.get(2).getEnqueue().getItem().getId()).isEqualTo("w-2");
      assertThat(sm.stats().getPending()).isEqualTo(2);
      assertThat(SessionClient.sessions(sm).getDedupeHits()).isEqualTo(1);
    }
  }

  @Test
  void aResendInALaterEntryAnswersTheFirstResult() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      List<CommandResult> first = sm.applyBatch(client.next(enqueue(50)), client.next(enqueue(40)));

      List<CommandResult> second = sm.applyBatch(client.at(2, enqueue(40)), client.next(enqueue(30)));

      assertThat(second.get(0)).isEqualTo(first.get(1));
      assertThat(second.get(1).getEnqueue().getItem().getId()).isEqualTo("w-3");
      client.assertResendIsDeduplicated(1, enqueue(50), first.get(0));
      assertThat(sm.stats().getPending()).isEqualTo(3);
    }
  }

  @Test
  void seqsMayArriveOutOfOrderAndEachAppliesOnce() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");

      CommandResult two = client.resend(2, enqueue(20));
      CommandResult one = client.resend(1, enqueue(10));

      assertThat(two.getEnqueue().getItem().getId()).isEqualTo("w-1");
      assertThat(one.getEnqueue().getItem().getId()).isEqualTo("w-2");
      client.assertResendIsDeduplicated(2, enqueue(20), two);
      client.assertResendIsDeduplicated(1, enqueue(10), one);
      assertThat(client.info().getLastSeq()).isEqualTo(2);
      assertThat(sm.stats().getPending()).isEqualTo(2);
    }
  }

  @Test
  void aSessionIdleExactlyTheTimeoutIsOpenAndOneMillisecondMoreExpiresIt() {
    try (StateFixture sm = new StateFixture(dir, limits(100, 100, 1 << 20))) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      client.send(enqueue(50));

      sm.nowMs += IDLE_MS;
      CommandResult atTheLimit = client.send(enqueue(40));
      sm.nowMs += IDLE_MS + 1;
      CommandResult pastIt = client.send(enqueue(30));

      assertThat(atTheLimit.hasEnqueue()).as("idle exactly %d ms: %s", IDLE_MS, atTheLimit).isTrue();
      Rejection expired = rejected(pastIt, RejectCode.REJECT_SESSION_EXPIRED, "session");
      assertThat(expired.getMessage()).contains("session 1 expired", "idle 60001 ms", "timeout of 60000 ms");
      assertThat(sm.stats().getPending()).as("the refused write did not apply").isEqualTo(2);
      ListSessionsResult list = SessionClient.sessions(sm);
      assertThat(list.getSessionsList()).isEmpty();
      assertThat(list.getOpen()).isZero();
      assertThat(list.getExpired()).isEqualTo(1);
      assertThat(list.getRejectedExpired()).isEqualTo(1);
      assertThat(list.getResultBytes()).isZero();
      assertThat(sm.dump().keySet()).noneMatch(key -> key.startsWith("session"));

      Rejection gone = rejected(client.resend(1, enqueue(50)), RejectCode.REJECT_SESSION_EXPIRED, "session");
      assertThat(gone.getMessage()).contains("session 1 is not open: it was closed, expired or evicted");
      assertThat(SessionClient.sessions(sm).getRejectedExpired()).isEqualTo(2);
    }
  }

  @Test
  void aWriteToAnUnknownSessionIsRefusedAndOnlyCounted() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient.open(sm, "worker-1");
      Map<String, String> before = sm.dump();

      CommandResult result = sm.apply(enqueue(50).setSession(SessionRef.newBuilder().setSessionId(42).setSeq(1)));

      assertThat(rejected(result, RejectCode.REJECT_SESSION_EXPIRED, "session").getMessage())
          .contains("session 42 is not open: it was never opened (the last session opened is 1)");
      Map<String, String> after = sm.dump();
      String counter = StateFixture.metaKey(MetaKeys.SESSION_EXPIRED_REJECTIONS);
      assertThat(after.remove(counter)).isEqualTo("0000000000000001");
      assertThat(after).isEqualTo(before);
    }
  }

  @Test
  void atMaxSessionsOpeningOneEvictsTheLeastRecentlyActive() {
    try (StateFixture sm = new StateFixture(dir, limits(3, 100, 1 << 20))) {
      SessionClient first = SessionClient.open(sm, "a");
      sm.nowMs++;
      SessionClient second = SessionClient.open(sm, "b");
      sm.nowMs++;
      SessionClient.open(sm, "c");
      sm.nowMs++;
      first.send(enqueue(50)); // now the second is the least recently active

      SessionClient fourth = SessionClient.open(sm, "d");

      assertThat(fourth.id).isEqualTo(4);
      assertThat(openIds(sm)).containsExactly(1L, 3L, 4L);
      assertThat(SessionClient.sessions(sm).getEvicted()).isEqualTo(1);
      assertThat(SessionClient.sessions(sm).getOpen()).isEqualTo(3);
      rejected(second.send(enqueue(40)), RejectCode.REJECT_SESSION_EXPIRED, "session");
      assertThat(first.send(enqueue(30)).hasEnqueue()).isTrue();
    }
  }

  @Test
  void openingASessionRemovesUpToSixteenIdleOnes() {
    try (StateFixture sm = new StateFixture(dir, limits(100, 100, 1 << 20))) {
      for (int i = 0; i < 20; i++) {
        SessionClient.open(sm, "idle-" + i);
      }
      sm.nowMs += IDLE_MS + 1;

      SessionClient.open(sm, "new-1");
      ListSessionsResult afterOne = SessionClient.sessions(sm);
      SessionClient.open(sm, "new-2");
      ListSessionsResult afterTwo = SessionClient.sessions(sm);

      assertThat(afterOne.getExpired()).isEqualTo(16);
      assertThat(afterOne.getOpen()).isEqualTo(5);
      assertThat(afterTwo.getExpired()).isEqualTo(20);
      assertThat(openIds(sm)).containsExactly(21L, 22L);
      assertThat(afterTwo.getEvicted()).isZero();
    }
  }

  @Test
  void acknowledgedResultsAreDroppedAndTheirSeqsRefused() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      client.send(enqueue(10));
      client.send(enqueue(20));
      CommandResult third = client.send(enqueue(30));
      client.ackedBelow = 3;

      CommandResult fourth = client.send(enqueue(40));

      SessionInfo info = client.info();
      assertThat(info.getAckedBelow()).isEqualTo(3);
      assertThat(info.getResultsHeld()).isEqualTo(2);
      assertThat(info.getResultBytes()).isEqualTo(third.getSerializedSize() + fourth.getSerializedSize());
      assertThat(SessionClient.sessions(sm).getResultBytes()).isEqualTo(info.getResultBytes());
      Rejection below = sm.rejects(enqueue(20).setSession(ref(client.id, 2, 0)), RejectCode.REJECT_INVALID_ARGUMENT, "session.seq");
      assertThat(below.getMessage()).contains("below the session's acked_below 3");
      client.assertResendIsDeduplicated(3, enqueue(30), third);
      // A later, lower acked_below does not bring anything back.
      client.ackedBelow = 1;
      client.send(enqueue(50));
      assertThat(client.info().getAckedBelow()).isEqualTo(3);
    }
  }

  @Test
  void aSessionHoldingMaxResultsIsRefusedUntilItAcknowledges() {
    try (StateFixture sm = new StateFixture(dir, limits(100, 3, 1 << 20))) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      for (int i = 0; i < 3; i++) {
        client.send(enqueue(10));
      }

      Rejection full = sm.rejects(client.at(4, enqueue(10)), RejectCode.REJECT_BACKPRESSURE, "session");
      client.ackedBelow = 2;
      CommandResult acknowledged = client.resend(4, enqueue(10));

      assertThat(full.getMessage()).contains("3 unacknowledged results", "maxResultsPerSession 3");
      assertThat(acknowledged.getEnqueue().getItem().getId()).isEqualTo("w-4");
      assertThat(client.info().getResultsHeld()).isEqualTo(3);
    }
  }

  @Test
  void aSessionWithoutRoomForOneMoreFullSizeResultIsRefusedUntilItAcknowledges() {
    long total = 8 * PER_WRITE;
    try (StateFixture sm = new StateFixture(dir, limits(100, 100, total))) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      while (client.info().getResultBytes() + PER_WRITE <= total) {
        assertThat(client.send(enqueueOf(600)).hasEnqueue()).isTrue();
      }

      Rejection full = sm.rejects(client.at(client.lastSeq + 1, enqueueOf(600)), RejectCode.REJECT_BACKPRESSURE,
          "session");
      client.ackedBelow = client.lastSeq;

      assertThat(full.getMessage()).contains("maxSessionResultBytes " + total);
      assertThat(client.send(enqueueOf(600)).hasEnqueue()).isTrue();
      assertThat(client.info().getResultsHeld()).isEqualTo(2);
    }
  }

  @Test
  void overTheTotalResultBytesTheLeastRecentlyActiveOtherSessionsAreEvicted() {
    long total = 8 * PER_WRITE;
    try (StateFixture sm = new StateFixture(dir, limits(100, 100, total))) {
      // All at one clock reading, so LRU order is id order and the writer (session 1) is its head.
      SessionClient writer = SessionClient.open(sm, "a");
      SessionClient older = SessionClient.open(sm, "b");
      SessionClient newer = SessionClient.open(sm, "c");
      for (int i = 0; i < 4; i++) {
        older.send(enqueueOf(600));
        newer.send(enqueueOf(600));
      }
      long olderBytes = older.info().getResultBytes();

      while (SessionClient.sessions(sm).getEvicted() == 0) {
        assertThat(writer.send(enqueueOf(600)).hasEnqueue()).isTrue();
      }

      assertThat(openIds(sm)).containsExactly(1L, 3L);
      ListSessionsResult list = SessionClient.sessions(sm);
      assertThat(list.getResultBytes()).isLessThanOrEqualTo(total)
          .isEqualTo(writer.info().getResultBytes() + newer.info().getResultBytes());
      assertThat(olderBytes).isPositive();
      rejected(older.send(enqueue(1)), RejectCode.REJECT_SESSION_EXPIRED, "session");
    }
  }

  @Test
  void aResultTooLargeToKeepIsAnsweredOnceAndItsResendSaysItApplied() {
    try (StateFixture sm = new StateFixture(dir, limits(100, 100, 1 << 20))) {
      SessionClient client = SessionClient.open(sm, "worker-1");

      CommandResult first = client.send(enqueueOf(2_000));
      CommandResult resend = client.resend(1, enqueueOf(2_000));

      assertThat(first.getEnqueue().getItem().getPayload().size()).isEqualTo(2_000);
      Rejection applied = rejected(resend, RejectCode.REJECT_FAILED_PRECONDITION, "session.seq");
      assertThat(applied.getMessage()).contains("seq 1 already applied", "over the limit of 1024 bytes");
      assertThat(sm.stats().getPending()).as("never applied twice").isEqualTo(1);
      client.assertResendIsDeduplicated(1, enqueueOf(2_000), resend);
      assertThat(client.info().getResultBytes()).isEqualTo(resend.getSerializedSize());
    }
  }

  @Test
  void closeDropsTheSessionAndItsResultsAndIsIdempotent() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      client.send(enqueue(10));
      client.send(enqueue(20));

      CommandResult closed = sm.apply(SessionClient.closeCommand(client.id));
      CommandResult again = sm.apply(SessionClient.closeCommand(client.id));

      assertThat(closed.getSession().getSessionId()).isEqualTo(1);
      assertThat(closed.getSession().getWasOpen()).isTrue();
      assertThat(again.getSession().getWasOpen()).isFalse();
      ListSessionsResult list = SessionClient.sessions(sm);
      assertThat(list.getOpen()).isZero();
      assertThat(list.getClosed()).isEqualTo(1);
      assertThat(list.getResultBytes()).isZero();
      assertThat(sm.dump().keySet()).noneMatch(key -> key.startsWith("session"));
      rejected(client.resend(1, enqueue(10)), RejectCode.REJECT_SESSION_EXPIRED, "session");
    }
  }

  @Test
  void malformedSessionsAreRefusedByFieldAndChangeNothing() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      client.send(enqueue(10));

      sm.rejects(enqueue(1).setSession(ref(0, 1, 0)), RejectCode.REJECT_INVALID_ARGUMENT, "session.session_id");
      sm.rejects(enqueue(1).setSession(ref(1, 0, 0)), RejectCode.REJECT_INVALID_ARGUMENT, "session.seq");
      sm.rejects(enqueue(1).setSession(ref(1, 2, 3)), RejectCode.REJECT_INVALID_ARGUMENT, "session.acked_below");
      sm.rejects(enqueue(1).setSession(ref(1, 2, -1)), RejectCode.REJECT_INVALID_ARGUMENT, "session.acked_below");
      sm.rejects(SessionClient.openCommand("x").setSession(ref(1, 2, 0)), RejectCode.REJECT_INVALID_ARGUMENT,
          "session");
      sm.rejects(SessionClient.closeCommand(1).setSession(ref(1, 2, 0)), RejectCode.REJECT_INVALID_ARGUMENT,
          "session");
      sm.rejects(SessionClient.closeCommand(0), RejectCode.REJECT_INVALID_ARGUMENT, "session_id");
      assertThat(sm.rejects(SessionClient.openCommand("x".repeat(129)), RejectCode.REJECT_INVALID_ARGUMENT,
          "client_name").getMessage()).contains("129", "128");
      sm.rejects(SessionClient.openCommand("a\nb"), RejectCode.REJECT_INVALID_ARGUMENT, "client_name");
      // A batch entry cannot carry a session: refused as a whole, nothing in it applies.
      sm.rejects(StateFixture.batch(sm.nowMs, List.of(enqueue(1))).setSession(ref(1, 2, 0)),
          RejectCode.REJECT_INVALID_ARGUMENT, "session");
      assertThat(client.info().getLastSeq()).isEqualTo(1);
    }
  }

  @Test
  void aBatchInsideABatchCarryingASessionIsRefusedAloneAndNotStored() {
    try (StateFixture sm = new StateFixture(dir)) {
      SessionClient client = SessionClient.open(sm, "worker-1");
      Command.Builder nested = Command.newBuilder().setBatch(CommandBatch.newBuilder()
          .addCommands(enqueue(1).setNowMs(sm.nowMs)));

      List<CommandResult> results = sm.applyBatch(client.next(nested), client.next(enqueue(2)));

      rejected(results.get(0), RejectCode.REJECT_INVALID_ARGUMENT, "session");
      assertThat(results.get(1).hasEnqueue()).isTrue();
      assertThat(client.info().getResultsHeld()).isEqualTo(1);
    }
  }

  @Test
  void listSessionsPagesById() {
    try (StateFixture sm = new StateFixture(dir)) {
      for (int i = 0; i < 5; i++) {
        SessionClient.open(sm, "c" + i);
      }

      ListSessionsResult page1 = list(sm, 2, 0);
      ListSessionsResult page2 = list(sm, 2, page1.getNextAfterSessionId());
      ListSessionsResult page3 = list(sm, 2, page2.getNextAfterSessionId());

      assertThat(page1.getSessionsList()).extracting(SessionInfo::getSessionId).containsExactly(1L, 2L);
      assertThat(page2.getSessionsList()).extracting(SessionInfo::getSessionId).containsExactly(3L, 4L);
      assertThat(page3.getSessionsList()).extracting(SessionInfo::getSessionId).containsExactly(5L);
      assertThat(page3.getNextAfterSessionId()).isZero();
      assertThat(page3.getOpen()).isEqualTo(5);
      Rejection tooMany = sm.query(Query.newBuilder().setListSessions(ListSessionsRequest.newBuilder().setLimit(1001)))
          .getRejected();
      assertThat(tooMany.getField()).isEqualTo("limit");
      assertThat(tooMany.getMessage()).contains("1-1000");
    }
  }

  @Test
  void sessionLimitsRefuseMeaninglessValuesNamingTheField() {
    assertThatThrownBy(() -> new SessionLimits(0, 1000, 1 << 26, 1 << 20, 600_000, 128))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSessions = 0")
        .hasMessageContaining("1-1000000");
    assertThatThrownBy(() -> new SessionLimits(10, 0, 1 << 26, 1 << 20, 600_000, 128))
        .hasMessageContaining("maxResultsPerSession");
    assertThatThrownBy(() -> new SessionLimits(10, 1000, 1 << 19, 1 << 20, 600_000, 128))
        .hasMessageContaining("maxSessionResultBytes").hasMessageContaining("at least maxResultBytesPerWrite");
    assertThatThrownBy(() -> new SessionLimits(10, 1000, 1 << 26, 100, 600_000, 128))
        .hasMessageContaining("maxResultBytesPerWrite = 100");
    assertThatThrownBy(() -> new SessionLimits(10, 1000, 1 << 26, 1 << 20, 999, 128))
        .hasMessageContaining("idleTimeoutMs = 999");
    assertThatThrownBy(() -> new SessionLimits(10, 1000, 1 << 26, 1 << 20, 600_000, 0))
        .hasMessageContaining("maxClientNameLength");
    assertThat(SessionLimits.defaults().maxSessions()).isEqualTo(10_000);
  }

  private static ListSessionsResult list(StateFixture sm, int limit, long after) {
    return sm.query(Query.newBuilder().setListSessions(
        ListSessionsRequest.newBuilder().setLimit(limit).setAfterSessionId(after))).getListSessions();
  }

  private static SessionRef ref(long id, long seq, long ackedBelow) {
    return SessionRef.newBuilder().setSessionId(id).setSeq(seq).setAckedBelow(ackedBelow).build();
  }
}
