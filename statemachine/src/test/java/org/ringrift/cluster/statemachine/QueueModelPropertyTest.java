package org.ringrift.cluster.statemachine;

import java.util.List;
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
 */
class QueueModelPropertyTest {
  @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
  void stateMachineBehavesLikeTheModel(@ForAll("workloads") List<Action> actions) {
    try (QueueDriver driver = new QueueDriver()) {
      for (Action action : actions) {
        driver.run(action);
      }
      driver.assertSameState();
    }
  }

  @Provide
  Arbitrary<List<Action>> workloads() {
    return QueueActions.sequences(100);
  }
}
