package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.statemachine.QueueActions.Action;
import org.ringrift.cluster.statemachine.store.StateDigest;

/**
 * After a restart Ratis replays entries from the last index it knows was applied, which may be
 * behind the store's: re-applying any suffix of applied entries must change nothing.
 */
class ReplayPropertyTest {
  @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
  void reapplyingAnAppliedSuffixAfterRestartChangesNothing(@ForAll("workloads") List<Action> actions,
      @ForAll @IntRange(min = 0, max = 10_000) int suffixStart) {
    try (QueueDriver driver = new QueueDriver()) {
      actions.forEach(driver::run);
      otherFamilies(driver);
      StateDigest before = driver.store.digest();

      driver.reopen();
      assertThat(driver.store.digest()).as("state survives the restart").isEqualTo(before);
      List<QueueDriver.Entry> log = driver.log;
      for (QueueDriver.Entry entry : log.subList(suffixStart % log.size(), log.size())) {
        CommandResult result = driver.state.apply(entry.command(), entry.position());
        assertThat(result.getBodyCase()).as("replay of %s", entry.position()).isEqualTo(CommandResult.BodyCase.REPLAYED);
      }

      assertThat(driver.store.digest()).isEqualTo(before);
      assertThat(driver.state.applied()).isEqualTo(log.get(log.size() - 1).position());
      driver.assertSameQueue();
    }
  }

  /** Entries for the families the queue workload does not touch, so the digest covers them too. */
  private static void otherFamilies(QueueDriver driver) {
    long term = driver.term;
    driver.writeOnly(Commands.heartbeat("n1", "gpu"));
    driver.writeOnly(Commands.health("n1", NodeHealth.NODE_HEALTH_SUSPECT).setExpectedTerm(term));
    driver.writeOnly(Commands.blacklist("n2", 0, "flaky"));
    driver.writeOnly(Commands.recordLeader("n1").setExpectedTerm(term));
    driver.writeOnly(Commands.daemon("retention", false));
    driver.writeOnly(Commands.publish(EventTypes.OPERATOR_NOTE, "ops", "replay test"));
    driver.writeOnly(Commands.planSync(Commands.plan("f1")).setExpectedTerm(term));
    driver.writeOnly(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_RUNNING, 10));
    driver.writeOnly(Commands.prune(10).setExpectedTerm(term));
  }

  @Provide
  Arbitrary<List<Action>> workloads() {
    return QueueActions.sequences(50);
  }
}
