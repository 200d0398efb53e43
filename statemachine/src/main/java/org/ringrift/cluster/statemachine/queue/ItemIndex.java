package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Family;

/**
 * The one place that writes items. Every derived entry (ready, lease and terminal keys, counts
 * per state, per type and per group) is a function of the item, so writing an item removes what
 * its old version implied and adds what its new version implies; they cannot drift apart.
 */
final class ItemIndex {
  private static final byte[] EMPTY = new byte[0];

  private final Batch batch;
  private final Meta meta;
  private final ReadyHints hints;

  ItemIndex(ApplyContext ctx) {
    this.batch = ctx.batch();
    this.meta = ctx.meta();
    this.hints = ctx.readyHints();
  }

  /** Writes {@code after}, replacing {@code before} (null for a new item). */
  void put(WorkItem before, WorkItem after) {
    if (before != null) {
      unindex(before);
    }
    index(after);
    batch.put(Family.ITEMS, QueueKeys.item(after.getEnqueueSeq()), after.toByteArray());
  }

  void delete(WorkItem item) {
    unindex(item);
    batch.delete(Family.ITEMS, QueueKeys.item(item.getEnqueueSeq()));
  }

  private void index(WorkItem item) {
    adjust(item, +1);
    switch (item.getState()) {
      case WORK_STATE_PENDING -> {
        batch.put(Family.READY, readyKey(item), EMPTY);
        hints.inserted(item.getType(), readyKey(item));
      }
      case WORK_STATE_CLAIMED, WORK_STATE_RUNNING -> batch.put(Family.LEASES, leaseKey(item), EMPTY);
      default -> {
        if (Transitions.isTerminal(item.getState())) {
          batch.put(Family.TERMINAL, terminalKey(item), EMPTY);
        }
      }
    }
  }

  private void unindex(WorkItem item) {
    adjust(item, -1);
    switch (item.getState()) {
      case WORK_STATE_PENDING -> batch.delete(Family.READY, readyKey(item));
      case WORK_STATE_CLAIMED, WORK_STATE_RUNNING -> batch.delete(Family.LEASES, leaseKey(item));
      default -> {
        if (Transitions.isTerminal(item.getState())) {
          batch.delete(Family.TERMINAL, terminalKey(item));
        }
      }
    }
  }

  private void adjust(WorkItem item, int delta) {
    meta.add(StateCounts.stateKey(item.getState()), delta);
    if (item.getState() == WorkState.WORK_STATE_PENDING) {
      meta.add(StateCounts.pendingTypeKey(item.getType()), delta);
    }
    if (Transitions.isLeased(item.getState()) && !item.getGroupKey().isEmpty()) {
      byte[] key = StateCounts.groupKey(item.getGroupKey());
      long value = meta.read(key) + delta;
      if (value == 0) {
        batch.delete(Family.META, key);
      } else {
        meta.write(key, value);
      }
    }
  }

  private static byte[] readyKey(WorkItem item) {
    return QueueKeys.ready(item.getType(), item.getPriority(), item.getEnqueueSeq());
  }

  private static byte[] leaseKey(WorkItem item) {
    return QueueKeys.lease(item.getLeaseExpiresMs(), item.getEnqueueSeq());
  }

  private static byte[] terminalKey(WorkItem item) {
    return QueueKeys.terminal(item.getFinishedMs(), item.getEnqueueSeq());
  }
}
