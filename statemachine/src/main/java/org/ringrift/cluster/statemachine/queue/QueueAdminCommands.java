package org.ringrift.cluster.statemachine.queue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.AnnotateItemRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ExpireLeasesRequest;
import org.ringrift.cluster.proto.PruneRequest;
import org.ringrift.cluster.proto.PruneResult;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.nodes.NodeStore;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Operator and leader-daemon commands on the queue: cancel, redrive, lease expiry, pruning. */
public final class QueueAdminCommands {
  private static final int MAX_SWEEP = 1000;

  private final QueueLimits limits;

  public QueueAdminCommands(QueueLimits limits) {
    this.limits = limits;
  }

  public void check(CancelRequest request) {
    ItemIds.check("item_id", request.getItemId());
    Validate.maxBytes("reason", request.getReason().length(), limits.maxErrorLength());
  }

  public void check(RedriveRequest request) {
    Validate.list("item_ids", request.getItemIdsList(), limits.maxBatchSize());
    // An id named twice would be redriven twice from the same stored item, double-counting it.
    Set<Long> seen = new HashSet<>();
    for (String id : request.getItemIdsList()) {
      if (!seen.add(ItemIds.check("item_ids", id))) {
        throw Rejections.invalid("item_ids", "item " + id + " is named more than once");
      }
    }
    if (request.getAll() == (request.getItemIdsCount() > 0)) {
      throw Rejections.invalid("item_ids", "give item ids, or all=true, not both and not neither");
    }
    if (request.getLimit() != 0) {
      Validate.range("limit", request.getLimit(), 1, limits.maxBatchSize());
    }
  }

  /** The longest note annotate_item keeps, in characters. */
  public static final int MAX_NOTE_CHARS = 256;

  public void check(AnnotateItemRequest request) {
    ItemIds.check("item_id", request.getItemId());
    if (request.getNote().length() > MAX_NOTE_CHARS) {
      throw Rejections.invalid("note", request.getNote().length() + " characters is over the limit of "
          + MAX_NOTE_CHARS);
    }
  }

  /** Feature level 2: sets an item's note, in any state; nothing else about the item changes. */
  public WorkItem annotate(ApplyContext ctx, AnnotateItemRequest request) {
    check(request);
    WorkItem item = new ItemStore(ctx.batch()).require("item_id", request.getItemId());
    WorkItem annotated = item.toBuilder().setNote(request.getNote()).setUpdatedMs(ctx.nowMs()).build();
    new ItemIndex(ctx).put(item, annotated);
    return annotated;
  }

  public void check(ExpireLeasesRequest request) {
    Validate.range("max_items", request.getMaxItems(), 1, MAX_SWEEP);
  }

  public void check(PruneRequest request) {
    Validate.range("max_items", request.getMaxItems(), 1, MAX_SWEEP);
  }

  public WorkItem cancel(ApplyContext ctx, CancelRequest request) {
    check(request);
    WorkItem item = new ItemStore(ctx.batch()).require("item_id", request.getItemId());
    if (Transitions.isTerminal(item.getState())) {
      throw Rejections.precondition("item_id", "item " + item.getId() + " is already "
          + WorkStates.name(item.getState()));
    }
    WorkItem cancelled = item.toBuilder().setState(WorkState.WORK_STATE_CANCELLED)
        .setLastError(request.getReason().isEmpty() ? "cancelled" : request.getReason())
        .setFinishedMs(ctx.nowMs()).setUpdatedMs(ctx.nowMs()).setLeaseExpiresMs(0).build();
    new ItemIndex(ctx).put(item, cancelled);
    ctx.events().append(EventTypes.WORK_CANCELLED, item.getId(), cancelled.getLastError());
    EnqueueCommands.maybeRelease(ctx);
    return cancelled;
  }

  public List<WorkItem> redrive(ApplyContext ctx, RedriveRequest request) {
    check(request);
    ItemStore items = new ItemStore(ctx.batch());
    List<WorkItem> targets = new ArrayList<>();
    if (request.getAll()) {
      int limit = request.getLimit() == 0 ? limits.maxBatchSize() : request.getLimit();
      try (Cursor cursor = ctx.batch().seek(Family.TERMINAL, new byte[0])) {
        for (int scanned = 0; cursor.valid() && targets.size() < limit && scanned < MAX_SWEEP; cursor.next(), scanned++) {
          WorkItem item = items.bySeq(QueueKeys.secondLong(cursor.key())).orElseThrow();
          if (Transitions.isDeadLetter(item.getState())) {
            targets.add(item);
          }
        }
      }
    } else {
      for (String id : request.getItemIdsList()) {
        WorkItem item = items.require("item_ids", id);
        if (!Transitions.isDeadLetter(item.getState())) {
          throw Rejections.precondition("item_ids", "item " + id + " is " + WorkStates.name(item.getState())
              + ", not a dead letter (failed or timeout)");
        }
        targets.add(item);
      }
    }
    ItemIndex index = new ItemIndex(ctx);
    List<WorkItem> redriven = new ArrayList<>();
    for (WorkItem item : targets) {
      WorkItem pending = item.toBuilder().setState(WorkState.WORK_STATE_PENDING).setAttempts(0)
          .setFinishedMs(0).setNotBeforeMs(0).setUpdatedMs(ctx.nowMs()).build();
      index.put(item, pending);
      ctx.events().append(EventTypes.WORK_REDRIVEN, item.getId(), "back to pending from "
          + WorkStates.name(item.getState()));
      redriven.add(pending);
    }
    return redriven;
  }

  /** Leases that ran out by the state clock: retry or dead-letter as TIMEOUT, charging the node. */
  public List<WorkItem> expireLeases(ApplyContext ctx, ExpireLeasesRequest request) {
    check(request);
    ItemStore items = new ItemStore(ctx.batch());
    List<WorkItem> expired = new ArrayList<>();
    try (Cursor cursor = ctx.batch().seek(Family.LEASES, new byte[0])) {
      for (; cursor.valid() && expired.size() < request.getMaxItems(); cursor.next()) {
        if (QueueKeys.firstLong(cursor.key()) > ctx.nowMs()) {
          break;
        }
        expired.add(items.bySeq(QueueKeys.secondLong(cursor.key())).orElseThrow());
      }
    }
    ItemIndex index = new ItemIndex(ctx);
    NodeStore nodes = new NodeStore(ctx.batch());
    List<WorkItem> results = new ArrayList<>();
    for (WorkItem item : expired) {
      WorkItem next = Transitions.retryOrDeadLetter(ctx, item, "lease expired", false, WorkState.WORK_STATE_TIMEOUT,
          limits.maxListSize());
      index.put(item, next);
      nodes.chargeFailure(ctx, item.getClaimedNode());
      LeaseCommands.reportRetryOrDeadLetter(ctx, next, EventTypes.WORK_TIMEOUT);
      results.add(next);
    }
    if (!results.isEmpty()) {
      ctx.meta().add(MetaKeys.LEASES_EXPIRED, results.size());
    }
    return results;
  }

  /** Deletes terminal items past retention and idempotency keys past their window. */
  public PruneResult prune(ApplyContext ctx, PruneRequest request) {
    check(request);
    long cutoff = ctx.nowMs() - ctx.config().get(ConfigKeys.TERMINAL_RETENTION_MS);
    ItemStore items = new ItemStore(ctx.batch());
    List<WorkItem> old = new ArrayList<>();
    try (Cursor cursor = ctx.batch().seek(Family.TERMINAL, new byte[0])) {
      for (; cursor.valid() && old.size() < request.getMaxItems(); cursor.next()) {
        if (QueueKeys.firstLong(cursor.key()) > cutoff) {
          break;
        }
        old.add(items.bySeq(QueueKeys.secondLong(cursor.key())).orElseThrow());
      }
    }
    ItemIndex index = new ItemIndex(ctx);
    for (WorkItem item : old) {
      index.delete(item);
    }
    List<byte[]> expiredKeys = new ArrayList<>();
    try (Cursor cursor = ctx.batch().seek(Family.IDEMPOTENCY, new byte[0])) {
      for (int scanned = 0; cursor.valid() && scanned < MAX_SWEEP && expiredKeys.size() < request.getMaxItems();
          cursor.next(), scanned++) {
        if (IdempotencyRecords.decode(cursor.value()).expiresMs() <= ctx.nowMs()) {
          expiredKeys.add(cursor.key());
        }
      }
    }
    for (byte[] key : expiredKeys) {
      ctx.batch().delete(Family.IDEMPOTENCY, key);
    }
    return PruneResult.newBuilder().setItemsPruned(old.size()).setIdempotencyKeysPruned(expiredKeys.size()).build();
  }

}
