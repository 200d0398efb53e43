package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.ApplyContext;

/** State predicates and the shared "back to pending or dead letter" step of fail and expiry. */
final class Transitions {
  private Transitions() {}

  static boolean isTerminal(WorkState state) {
    return state == WorkState.WORK_STATE_COMPLETED || state == WorkState.WORK_STATE_FAILED
        || state == WorkState.WORK_STATE_TIMEOUT || state == WorkState.WORK_STATE_CANCELLED;
  }

  static boolean isLeased(WorkState state) {
    return state == WorkState.WORK_STATE_CLAIMED || state == WorkState.WORK_STATE_RUNNING;
  }

  static boolean isDeadLetter(WorkState state) {
    return state == WorkState.WORK_STATE_FAILED || state == WorkState.WORK_STATE_TIMEOUT;
  }

  /**
   * A leased item that failed (or whose lease ran out): back to pending with backoff and its node
   * excluded while attempts remain, else to {@code deadState}. The lease token is kept, so a late
   * report with it is recognised as stale.
   */
  static WorkItem retryOrDeadLetter(ApplyContext ctx, WorkItem item, String error, boolean permanent,
      WorkState deadState, int maxExcluded) {
    WorkItem.Builder next = item.toBuilder().setLastError(error).setUpdatedMs(ctx.nowMs()).setLeaseExpiresMs(0);
    if (!permanent && item.getAttempts() < item.getMaxAttempts()) {
      if (!item.getClaimedNode().isEmpty() && !item.getExcludedNodesList().contains(item.getClaimedNode())) {
        java.util.List<String> excluded = new java.util.ArrayList<>(item.getExcludedNodesList());
        excluded.add(item.getClaimedNode());
        // Bounded like every list: keep the most recent failures, forget the oldest.
        next.clearExcludedNodes().addAllExcludedNodes(
            excluded.subList(Math.max(0, excluded.size() - maxExcluded), excluded.size()));
      }
      return next.setState(WorkState.WORK_STATE_PENDING)
          .setNotBeforeMs(ctx.nowMs() + backoffMs(ctx, item.getAttempts()))
          .build();
    }
    return next.setState(deadState).setFinishedMs(ctx.nowMs()).build();
  }

  /** base * 2^(attempts-1), capped. */
  static long backoffMs(ApplyContext ctx, int attempts) {
    long base = ctx.config().get(ConfigKeys.RETRY_BACKOFF_BASE_MS);
    long max = ctx.config().get(ConfigKeys.RETRY_BACKOFF_MAX_MS);
    int shift = Math.max(0, Math.min(30, attempts - 1));
    long delay = base << shift;
    return delay < 0 ? max : Math.min(max, delay);
  }
}
