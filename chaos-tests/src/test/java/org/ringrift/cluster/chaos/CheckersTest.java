package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.chaos.History.Op;
import org.ringrift.cluster.chaos.History.Outcome;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;

/** The checkers find what they claim to find: each is shown a good and a bad history. */
class CheckersTest {
  private static int ids;

  private static Op reg(String type, String value, long invoke, long ret, Outcome outcome) {
    return new Op(ids++, "c", type, "k", invoke, ret, outcome, value, "", "", "", Map.of());
  }

  @Test
  void concurrentWriteMayBeSeenEitherWay() {
    List<Op> ops = List.of(reg("write", "1", 0, 10, Outcome.OK), reg("read", "0", 5, 8, Outcome.OK),
        reg("read", "1", 9, 12, Outcome.OK));
    assertThat(RegisterChecker.check(ops, Map.of("k", "0"))).isEmpty();
  }

  @Test
  void staleReadAfterAcknowledgedWriteIsFound() {
    List<Op> ops = List.of(reg("write", "1", 0, 10, Outcome.OK), reg("read", "0", 11, 12, Outcome.OK));
    assertThat(RegisterChecker.check(ops, Map.of("k", "0"))).singleElement().asString().contains("not linearizable");
  }

  @Test
  void unknownWriteMayTakeEffectLateOrNever() {
    List<Op> late = List.of(reg("write", "1", 0, 5, Outcome.UNKNOWN), reg("read", "0", 6, 7, Outcome.OK),
        reg("read", "1", 8, 9, Outcome.OK));
    assertThat(RegisterChecker.check(late, Map.of("k", "0"))).isEmpty();
    List<Op> flipFlop = List.of(reg("write", "1", 0, 5, Outcome.UNKNOWN), reg("read", "1", 6, 7, Outcome.OK),
        reg("read", "0", 8, 9, Outcome.OK));
    assertThat(RegisterChecker.check(flipFlop, Map.of("k", "0"))).isNotEmpty();
  }

  private static Map<String, Object> extra(Object... kv) {
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void queueCheckerFindsLostEnqueueStaleCompletionAndOverlappingLeases() {
    List<Op> ops = List.of(
        new Op(1, "p", "enqueue", "key-a", 0, 1, Outcome.OK, "", "a", "", "", extra("created", true)),
        new Op(2, "p", "enqueue", "key-b", 0, 1, Outcome.OK, "", "b", "", "", extra("created", true)),
        new Op(3, "w1", "claim", "", 2, 3, Outcome.OK, "", "a", "1.1", "",
            extra("claimed_ms", 100L, "lease_expires_ms", 2100L)),
        new Op(4, "w2", "claim", "", 4, 5, Outcome.OK, "", "a", "1.2", "",
            extra("claimed_ms", 1500L, "lease_expires_ms", 3500L)),
        new Op(5, "w1", "complete", "", 6, 7, Outcome.OK, "", "a", "1.1", "", extra("zombie", true)));
    WorkItem a = WorkItem.newBuilder().setId("a").setIdempotencyKey("key-a").setState(WorkState.WORK_STATE_COMPLETED)
        .setMaxAttempts(3).setAttempts(2).setLease(LeaseToken.newBuilder().setTerm(1).setSequence(2)).build();
    QueueStats stats = QueueStats.newBuilder().setCompleted(1).build();
    List<String> problems = QueueChecker.check(ops, List.of(a), stats);
    assertThat(problems).anyMatch(p -> p.contains("item b is lost"))
        .anyMatch(p -> p.contains("completed under token 1.1"))
        .anyMatch(p -> p.contains("granted at 1500 while lease 1.1"));
  }

  private static org.ringrift.cluster.proto.Event event(long seq, long proposedTerm, long term) {
    return org.ringrift.cluster.proto.Event.newBuilder().setSeq(seq).setType("WORK_RETRY").setSubject("item-" + seq)
        .setProposedTerm(proposedTerm).setTerm(term).setLogIndex(100 + seq).build();
  }

  @Test
  void aLeaderCommandAppliedInAnotherTermIsAFencedCommandApplied() {
    assertThat(FencedCommandChecker.check(List.of(event(1, 0, 3), event(2, 3, 3)))).as("unfenced, and fenced in its term")
        .isEmpty();
    assertThat(FencedCommandChecker.check(List.of(event(1, 3, 3), event(2, 3, 4))))
        .singleElement().asString().startsWith("fenced command applied: event seq=2 WORK_RETRY")
        .contains("proposed in term 3 but applied in term 4");
  }

  private static final long MS = 1_000_000L;
  private static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(3);

  private static Op once(int id, String process, String type, String key, String value, long tookMs, Outcome outcome,
      String item, String token) {
    return new Op(id, process, type, key, 0, tookMs * MS, outcome, value, item, token,
        outcome == Outcome.OK ? "" : "UNAVAILABLE: outcome unknown", Map.of());
  }

  private static WorkItem unkeyed(String id, String tag) {
    return WorkItem.newBuilder().setId(id).setState(WorkState.WORK_STATE_PENDING).setMaxAttempts(3)
        .setIdempotencyKey("auto-" + id).setPayload(com.google.protobuf.ByteString.copyFromUtf8(
            ExactlyOnceChecker.payload(tag))).build();
  }

  private static WorkItem claimed(String id, int attempts, String holder, long term, long seq) {
    return WorkItem.newBuilder().setId(id).setState(WorkState.WORK_STATE_CLAIMED).setMaxAttempts(3)
        .setAttempts(attempts).setClaimedBy(holder)
        .setLease(LeaseToken.newBuilder().setTerm(term).setSequence(seq)).build();
  }

  @Test
  void everyWriteAppliedOnceAndUnknownOnlyAtTheDeadlinePasses() {
    List<Op> ops = List.of(
        once(1, "x0", "enqueue-unkeyed", "x0-0", "", 20, Outcome.OK, "i1", ""),
        once(2, "x0", "enqueue-unkeyed", "x0-1", "", 3_001, Outcome.UNKNOWN, "", ""),
        once(3, "x0", "enqueue-unkeyed", "x0-2", "", 3_002, Outcome.UNKNOWN, "", ""),
        once(4, "x0", "write", "r", "1000001", 10, Outcome.OK, "", ""),
        once(5, "x0", "write", "r", "1000002", 3_005, Outcome.UNKNOWN, "", ""),
        once(6, "w0", "claim", "", "", 10, Outcome.OK, "i1", "2.7"),
        once(7, "w1", "claim", "", "", 3_000, Outcome.UNKNOWN, "", ""));
    List<WorkItem> items = List.of(claimed("i1", 2, "w1", 2, 9).toBuilder()
        .setPayload(com.google.protobuf.ByteString.copyFromUtf8(ExactlyOnceChecker.payload("x0-0"))).build(),
        unkeyed("i2", "x0-1"));
    ExactlyOnceChecker.Report report = ExactlyOnceChecker.check(ops, items,
        Map.of("r = 1000001", 1, "r = 1000002", 1), true, DEADLINE);
    assertThat(report.problems()).as("an unknown write may apply once or never; the unknown claim explains the"
        + " second delivery").isEmpty();
    assertThat(report.counts()).containsEntry("once_enqueues_acked", 1).containsEntry("once_claims_unseen", 1)
        .containsEntry("writes_unknown", 4).containsEntry("writes_unknown_before_deadline", 0);
  }

  @Test
  void exactlyOnceCheckerFindsDoubleAppliesLostWritesUnseenClaimsAndEarlyUnknowns() {
    List<Op> ops = List.of(
        once(1, "x0", "enqueue-unkeyed", "x0-0", "", 20, Outcome.OK, "i1", ""),
        once(2, "x0", "enqueue-unkeyed", "x0-1", "", 20, Outcome.OK, "i3", ""),
        once(3, "x0", "write", "r", "1000001", 10, Outcome.OK, "", ""),
        once(4, "x0", "write", "r", "1000002", 10, Outcome.OK, "", ""),
        once(5, "x1", "write", "q", "7", 150, Outcome.UNKNOWN, "", ""),
        once(6, "w0", "claim", "", "", 10, Outcome.OK, "i4", "2.7"));
    List<WorkItem> items = List.of(unkeyed("i1", "x0-0"), unkeyed("i2", "x0-0"), claimed("i4", 1, "w2", 2, 7),
        claimed("i5", 1, "w0", 2, 8));
    List<String> problems = ExactlyOnceChecker.check(ops, items, Map.of("r = 1000001", 2), true, DEADLINE)
        .problems();
    assertThat(problems)
        .anyMatch(p -> p.startsWith("1 unkeyed enqueue(s) applied more than once") && p.contains("[i1, i2]"))
        .anyMatch(p -> p.startsWith("1 acknowledged unkeyed enqueue(s) have no item") && p.contains("x0-1"))
        .anyMatch(p -> p.startsWith("1 register write(s) applied more than once") && p.contains("r := 1000001"))
        .anyMatch(p -> p.startsWith("1 acknowledged register write(s) left no CONFIG_CHANGED") && p.contains("1000002"))
        .anyMatch(p -> p.startsWith("claims applied that no client saw: 1 deliveries") && p.contains("i5"))
        .anyMatch(p -> p.contains("lease 2.7 acknowledged to w0 but held by w2"))
        .anyMatch(p -> p.startsWith("1 write(s) returned an unknown outcome before their 3000 ms deadline")
            && p.contains("#5 x1 write after 150 ms"));
  }

  @Test
  void aMissingConfigEventIsNoLostWriteWhenTheWatcherMissedEvents() {
    List<Op> ops = List.of(once(1, "x0", "write", "r", "1000001", 10, Outcome.OK, "", ""));
    assertThat(ExactlyOnceChecker.check(ops, List.of(), Map.of(), false, DEADLINE).problems()).isEmpty();
    assertThat(ExactlyOnceChecker.check(ops, List.of(), Map.of(), true, DEADLINE).problems()).isNotEmpty();
  }
}
