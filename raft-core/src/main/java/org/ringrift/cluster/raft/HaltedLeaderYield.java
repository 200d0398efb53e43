package org.ringrift.cluster.raft;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that stopped applying cannot answer for what it commits, so it must not lead: when it
 * leads anyway it hands leadership to another voter. One hand-over at a time, a few attempts (a
 * transfer times out while the target catches up).
 */
final class HaltedLeaderYield {
  private static final Logger LOG = LoggerFactory.getLogger(HaltedLeaderYield.class);
  private static final int MAX_YIELD_ATTEMPTS = 5;

  private final RaftNode node;
  private final ClusterStateMachine stateMachine;
  private final AtomicBoolean yielding = new AtomicBoolean();

  HaltedLeaderYield(RaftNode node, ClusterStateMachine stateMachine) {
    this.node = node;
    this.stateMachine = stateMachine;
  }

  /** Hands leadership away if this node leads and has halted; else nothing. Never blocks. */
  void yieldIfHaltedLeader() {
    if (stateMachine.halted().isEmpty() || !isLeaderNow() || !yielding.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      try {
        for (int attempt = 1; attempt <= MAX_YIELD_ATTEMPTS && isLeaderNow(); attempt++) {
          Optional<RaftView.MemberView> target = node.members().stream()
              .filter(m -> m.voter() && !m.id().equals(node.id())).findFirst();
          if (target.isEmpty()) {
            LOG.warn("node={} stopped applying and leads, with no other voter to hand leadership to", node.id());
            return;
          }
          LOG.warn("node={} stopped applying and leads: handing leadership to {} attempt={}", node.id(),
              target.get().id(), attempt);
          try {
            node.transferLeadership(target.get().id(), node.settings().requestTimeout().toMillis()).join();
            return;
          } catch (CompletionException e) {
            LOG.info("node={} leadership hand-over to {} failed attempt={}: {}", node.id(), target.get().id(), attempt,
                e.getCause() == null ? e.toString() : e.getCause().toString());
          }
        }
      } finally {
        yielding.set(false);
      }
    });
  }

  private boolean isLeaderNow() {
    try {
      return node.view().isLeader();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
