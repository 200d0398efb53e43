package org.ringrift.cluster.statemachine;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ringrift.cluster.statemachine.QueueActions.Action;

/**
 * The RocksDB state machine against the in-memory model: for random workloads every result and
 * the final queue, stats and node registry are the same. jqwik prints the seed and the shrunk
 * sequence of a failure; rerun it with {@code @Property(seed = "...")}.
 *
 * <p>With {@code sessions}, every step is a write of one client session and the workload also
 * resends recent writes with their seq (delayed past later seqs, or within one batch entry) and
 * swaps seqs: the model sees each write once, and every resend must answer exactly what its first
 * send answered.
 */
class QueueModelPropertyTest {
  @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
  void stateMachineBehavesLikeTheModel(@ForAll("workloads") List<Action> actions, @ForAll boolean sessions) {
    try (QueueDriver driver = new QueueDriver(sessions)) {
      for (Action action : actions) {
        driver.run(action);
      }
      driver.assertSameState();
    }
  }

  /**
   * The same workloads cut into batch entries at random points (group commit): every command
   * answers what the model answers, and the store ends as it would with one command per entry.
   * {@code cuts} are batch sizes, used in turn; 0 sends the next step as a plain single entry.
   */
  @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
  void batchEntriesBehaveLikeOneCommandPerEntry(@ForAll("workloads") List<Action> actions,
      @ForAll("cuts") List<Integer> cuts, @ForAll boolean sessions) {
    try (QueueDriver driver = new QueueDriver(sessions)) {
      int cut = 0;
      for (Action action : actions) {
        int size = cuts.get(cut % cuts.size());
        if (size == 0) {
          driver.run(action);
          cut++;
          continue;
        }
        driver.runBatched(action);
        if (driver.pendingSteps() >= size) {
          driver.flushBatch();
          cut++;
        }
      }
      driver.flushBatch();
      driver.assertSameState();
      driver.assertSameAsOneByOne();
    }
  }

  @Provide
  Arbitrary<List<Action>> workloads() {
    return QueueActions.sequences(100);
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(1)),
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(2, 12)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(13, 60)))
        .list().ofMinSize(1).ofMaxSize(8);
  }
}
