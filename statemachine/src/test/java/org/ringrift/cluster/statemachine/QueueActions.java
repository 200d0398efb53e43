package org.ringrift.cluster.statemachine;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Abstract steps of a random workload. Items and tokens are chosen by position ({@code pick}) and
 * resolved against the queue when the step runs, so every step means something whatever ran
 * before it, and shrinking keeps sequences meaningful.
 */
final class QueueActions {
  private QueueActions() {}

  /** Which token a worker echoes: the item's current one, or one that is stale some way. */
  enum TokenChoice { CURRENT, CURRENT_AGAIN, NEXT_SEQUENCE, OTHER_TERM }

  /** Which expected term the reaper's expiry carries. */
  enum Fence { CURRENT_TERM, OTHER_TERM, NONE }

  sealed interface Action permits Enqueue, EnqueueBatch, Claim, Start, Extend, Complete, Fail, Release, Cancel,
      SetPriority, Redrive, ExpireLeases, Advance, ClockBack, NewTerm, Resend, Reorder {}

  /**
   * Lease steps pick among leased items (redrive among dead letters) unless {@code pick % 5 == 4},
   * which picks among all items, so most steps act on a live lease and some on anything.
   */
  static final int ANY_ITEM = 4;

  /** {@code dependsOn}: -1 none, -2 an item that does not exist, else a pick. */
  record Enqueue(int type, int priority, int maxAttempts, long timeoutMs, int idempotencyKey, int group,
      int dependsOn, int target, int excludedMask, boolean needsGpu, boolean force) implements Action {}

  record EnqueueBatch(List<Enqueue> items) implements Action {}

  record Claim(int worker, boolean ownNode, int maxItems, long leaseMs, int typesMask, boolean gpu) implements Action {}

  record Start(int pick, TokenChoice token) implements Action {}

  record Extend(int pick, TokenChoice token, long leaseMs) implements Action {}

  record Complete(int pick, TokenChoice token) implements Action {}

  record Fail(int pick, TokenChoice token, boolean permanent) implements Action {}

  record Release(int pick, TokenChoice token) implements Action {}

  /** {@code pick} -1: an item that does not exist. */
  record Cancel(int pick) implements Action {}

  /** {@code pick} -1: an item that does not exist; {@code priority} 101 is out of range. */
  record SetPriority(int pick, int priority) implements Action {}

  /** Empty picks: redrive all, up to {@code limit}. */
  record Redrive(List<Integer> picks, int limit) implements Action {}

  record ExpireLeases(int maxItems, Fence fence) implements Action {}

  record Advance(long ms) implements Action {}

  /** The next proposer's clock is behind the state clock (a new leader with a slower clock). */
  record ClockBack(long ms) implements Action {}

  record NewTerm() implements Action {}

  /**
   * With sessions only: the client sends one of its recent writes again with the same seq, as if
   * the reply to it was lost ({@code back} writes before the latest; a duplicate delayed past
   * later seqs, or, in a batch, in the same entry). Without sessions it does nothing.
   */
  record Resend(int back) implements Action {}

  /** With sessions only: the next two writes swap seqs, so the higher seq applies first. */
  record Reorder() implements Action {}

  static Arbitrary<List<Action>> sequences(int maxSize) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, enqueue().map(a -> (Action) a)),
        net.jqwik.api.Tuple.of(2, enqueue().list().ofMinSize(1).ofMaxSize(3).map(l -> (Action) new EnqueueBatch(l))),
        net.jqwik.api.Tuple.of(10, claim()),
        net.jqwik.api.Tuple.of(4, Combinators.combine(pick(), token()).as(Start::new)),
        net.jqwik.api.Tuple.of(4, Combinators.combine(pick(), token(), Arbitraries.of(0L, 1_000L, 4_000L, 30_000L))
            .as(Extend::new)),
        net.jqwik.api.Tuple.of(7, Combinators.combine(pick(), token()).as(Complete::new)),
        net.jqwik.api.Tuple.of(6, Combinators.combine(pick(), token(), Arbitraries.of(false, false, false, true))
            .as(Fail::new)),
        net.jqwik.api.Tuple.of(3, Combinators.combine(pick(), token()).as(Release::new)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-1, 30).map(Cancel::new)),
        net.jqwik.api.Tuple.of(3, Combinators.combine(Arbitraries.integers().between(-1, 30),
            Arbitraries.of(0, 10, 50, 90, 100, 101)).as(SetPriority::new)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(pick().list().ofMaxSize(3), Arbitraries.of(0, 1, 2, 5))
            .as(Redrive::new)),
        net.jqwik.api.Tuple.of(4, Combinators.combine(Arbitraries.integers().between(1, 4),
            Arbitraries.of(Fence.CURRENT_TERM, Fence.CURRENT_TERM, Fence.CURRENT_TERM, Fence.OTHER_TERM, Fence.NONE))
            .as(ExpireLeases::new)),
        net.jqwik.api.Tuple.of(6, Arbitraries.of(1L, 500L, 999L, 1_000L).map(Advance::new)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(3_000L, 10_000L, 60_000L, 400_000L).map(Advance::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(1L, 5_000L).map(ClockBack::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new NewTerm())),
        net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 7).map(Resend::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reorder())))
        .list().ofMinSize(maxSize / 4).ofMaxSize(maxSize);
  }

  private static Arbitrary<Integer> pick() {
    return Arbitraries.integers().between(0, 30);
  }

  private static Arbitrary<TokenChoice> token() {
    return Arbitraries.of(TokenChoice.CURRENT, TokenChoice.CURRENT, TokenChoice.CURRENT, TokenChoice.CURRENT_AGAIN,
        TokenChoice.NEXT_SEQUENCE, TokenChoice.OTHER_TERM);
  }

  private static Arbitrary<Enqueue> enqueue() {
    Arbitrary<Integer> type = Arbitraries.integers().between(0, 1);
    Arbitrary<Integer> priority = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(30, Arbitraries.of(0, 10, 50, 50, 90, 100)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(101)));
    Arbitrary<Integer> maxAttempts = Arbitraries.of(0, 1, 2, 3);
    Arbitrary<Long> timeout = Arbitraries.of(0L, 1_000L, 5_000L, 60_000L);
    Arbitrary<Integer> key = Arbitraries.of(0, 0, 0, 1, 2);
    Arbitrary<Integer> group = Arbitraries.of(0, 0, 1, 2);
    Arbitrary<Integer> dependsOn = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(16, Arbitraries.just(-1)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(-2)),
        net.jqwik.api.Tuple.of(3, pick()));
    Arbitrary<Integer> target = Arbitraries.of(0, 0, 0, 1, 2);
    Arbitrary<Integer> excluded = Arbitraries.of(0, 0, 0, 1, 2, 3);
    Arbitrary<Boolean> gpu = Arbitraries.of(false, false, true);
    Arbitrary<Boolean> force = Arbitraries.of(false, false, false, false, true);
    Arbitrary<net.jqwik.api.Tuple.Tuple6<Integer, Integer, Integer, Long, Integer, Integer>> shape =
        Combinators.combine(type, priority, maxAttempts, timeout, key, group).as(net.jqwik.api.Tuple::of);
    Arbitrary<net.jqwik.api.Tuple.Tuple5<Integer, Integer, Integer, Boolean, Boolean>> placement =
        Combinators.combine(dependsOn, target, excluded, gpu, force).as(net.jqwik.api.Tuple::of);
    return Combinators.combine(shape, placement).as((s, p) -> new Enqueue(s.get1(), s.get2(), s.get3(), s.get4(),
        s.get5(), s.get6(), p.get1(), p.get2(), p.get3(), p.get4(), p.get5()));
  }

  private static Arbitrary<Action> claim() {
    return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(true, true, false),
        Arbitraries.integers().between(0, 3), Arbitraries.of(0L, 1_000L, 2_000L, 30_000L),
        Arbitraries.integers().between(0, 3), Arbitraries.of(false, true))
        .as((w, own, max, lease, types, gpu) -> (Action) new Claim(w, own, max, lease, types, gpu));
  }
}
