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
}
