package org.ringrift.cluster.statemachine.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.CompleteResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** The work queue's commands. Each either writes its whole effect to the batch or throws a rejection. */
public final class QueueCommands {
  private final QueueLimits limits;

  public QueueCommands(QueueLimits limits) {
    this.limits = limits;
  }

  /** An enqueue request with defaults filled in; only {@link #checkEnqueue} makes one. */
  public record EnqueueSpec(WorkType type, int priority, int maxAttempts, long timeoutMs, String idempotencyKey) {}

  /** The checks that need no state: run at the API edge and again at apply. */
  public EnqueueSpec checkEnqueue(EnqueueRequest request) {
    WorkType type = Validate.workType("type", request.getType());
    int priority = Validate.range("priority", request.getPriority(), 0, QueueKeys.MAX_PRIORITY);
    Validate.maxBytes("payload", request.getPayload().size(), limits.maxPayloadBytes());
    int maxAttempts = request.getMaxAttempts() == 0
        ? limits.defaultMaxAttempts()
        : Validate.range("max_attempts", request.getMaxAttempts(), 1, limits.maxMaxAttempts());
    long timeoutMs = request.getTimeoutMs() == 0
        ? limits.defaultTimeoutMs()
        : Validate.range("timeout_ms", request.getTimeoutMs(), 1_000L, limits.maxTimeoutMs());
    String idempotencyKey = Validate.id("idempotency_key", request.getIdempotencyKey(), limits.maxIdLength(), false);
    return new EnqueueSpec(type, priority, maxAttempts, timeoutMs, idempotencyKey);
  }

  public EnqueueResult enqueue(ApplyContext ctx, EnqueueRequest request) {
    EnqueueSpec spec = checkEnqueue(request);
    WorkType type = spec.type();
    int priority = spec.priority();
    String idempotencyKey = spec.idempotencyKey();
    ItemStore items = new ItemStore(ctx.batch());
    if (!idempotencyKey.isEmpty()) {
      WorkItem earlier = findByIdempotencyKey(ctx, items, idempotencyKey);
      if (earlier != null) {
        return EnqueueResult.newBuilder().setItem(earlier).setCreated(false).build();
      }
    }
    long seq = ctx.meta().next(MetaKeys.NEXT_ITEM_SEQ);
    WorkItem item = WorkItem.newBuilder()
        .setId(ItemIds.format(seq))
        .setEnqueueSeq(seq)
        .setType(type)
        .setPayload(request.getPayload())
        .setPriority(priority)
        .setState(WorkState.WORK_STATE_PENDING)
        .setMaxAttempts(spec.maxAttempts())
        .setTimeoutMs(spec.timeoutMs())
        .setIdempotencyKey(idempotencyKey)
        .setCreatedMs(ctx.nowMs())
        .setUpdatedMs(ctx.nowMs())
        .build();
    items.put(item);
    ctx.batch().put(Family.READY, QueueKeys.ready(type, priority, seq), new byte[0]);
    StateCounts.move(ctx.meta(), WorkState.WORK_STATE_UNSPECIFIED, WorkState.WORK_STATE_PENDING);
    if (!idempotencyKey.isEmpty()) {
      ctx.batch().put(Family.IDEMPOTENCY, QueueKeys.idempotency(idempotencyKey),
          IdempotencyRecords.encode(seq, ctx.nowMs() + limits.idempotencyWindowMs()));
    }
    return EnqueueResult.newBuilder().setItem(item).setCreated(true).build();
  }

  private static WorkItem findByIdempotencyKey(ApplyContext ctx, ItemStore items, String key) {
    byte[] raw = ctx.batch().get(Family.IDEMPOTENCY, QueueKeys.idempotency(key));
    if (raw == null) {
      return null;
    }
    IdempotencyRecords.Entry entry = IdempotencyRecords.decode(raw);
    if (entry.expiresMs() <= ctx.nowMs()) {
      return null;
    }
    return items.bySeq(entry.itemSeq()).orElse(null);
  }

  /** A claim request with defaults filled in. */
  public record ClaimSpec(String worker, int maxItems, long leaseMs, List<WorkType> types) {}

  public ClaimSpec checkClaim(ClaimRequest request) {
    String worker = Validate.id("worker_id", request.getWorkerId(), limits.maxIdLength(), true);
    int maxItems = request.getMaxItems() == 0
        ? 1
        : Validate.range("max_items", request.getMaxItems(), 1, limits.maxClaimItems());
    long leaseMs = request.getLeaseMs() == 0
        ? limits.defaultLeaseMs()
        : Validate.range("lease_ms", request.getLeaseMs(), limits.minLeaseMs(), limits.maxLeaseMs());
    List<WorkType> types = new ArrayList<>();
    for (WorkType type : request.getWorkTypesList()) {
      types.add(Validate.workType("work_types", type));
    }
    return new ClaimSpec(worker, maxItems, leaseMs, types.isEmpty() ? WorkTypes.all() : List.copyOf(types));
  }

  public ClaimResult claim(ApplyContext ctx, ClaimRequest request) {
    ClaimSpec spec = checkClaim(request);
    String worker = spec.worker();
    int maxItems = spec.maxItems();
    long leaseMs = spec.leaseMs();
    List<WorkType> types = spec.types();

    ItemStore items = new ItemStore(ctx.batch());
    ClaimResult.Builder result = ClaimResult.newBuilder();
    for (ReadyEntry candidate : firstReady(ctx, types, maxItems)) {
      WorkItem item = items.bySeq(candidate.seq())
          .orElseThrow(() -> new IllegalStateException("ready entry without item, seq " + candidate.seq()));
      WorkItem claimed = lease(ctx, item, worker, leaseMs);
      ctx.batch().delete(Family.READY, candidate.key());
      ctx.batch().put(Family.LEASES, QueueKeys.lease(claimed.getLeaseExpiresMs(), claimed.getEnqueueSeq()),
          new byte[0]);
      items.put(claimed);
      StateCounts.move(ctx.meta(), WorkState.WORK_STATE_PENDING, WorkState.WORK_STATE_CLAIMED);
      result.addItems(claimed);
    }
    return result.build();
  }

  private static WorkItem lease(ApplyContext ctx, WorkItem item, String worker, long leaseMs) {
    LeaseToken token = LeaseToken.newBuilder()
        .setTerm(ctx.entry().term())
        .setSequence(ctx.meta().next(MetaKeys.NEXT_LEASE_SEQ))
        .build();
    return item.toBuilder()
        .setState(WorkState.WORK_STATE_CLAIMED)
        .setAttempts(item.getAttempts() + 1)
        .setClaimedBy(worker)
        .setClaimedMs(ctx.nowMs())
        .setUpdatedMs(ctx.nowMs())
        .setLease(token)
        .setLeaseExpiresMs(ctx.nowMs() + leaseMs)
        .build();
  }

  /** The first {@code limit} ready entries over all {@code types}, by priority then enqueue order. */
  private static List<ReadyEntry> firstReady(ApplyContext ctx, List<WorkType> types, int limit) {
    List<ReadyEntry> candidates = new ArrayList<>();
    for (WorkType type : types) {
      byte[] prefix = QueueKeys.readyPrefix(type);
      try (Cursor cursor = ctx.batch().seek(Family.READY, prefix)) {
        for (int taken = 0; taken < limit && cursor.validWithPrefix(prefix); taken++, cursor.next()) {
          byte[] key = cursor.key();
          candidates.add(new ReadyEntry(key, QueueKeys.readyPriority(key), QueueKeys.readySeq(key)));
        }
      }
    }
    candidates.sort(Comparator.comparingInt(ReadyEntry::priority).reversed()
        .thenComparingLong(ReadyEntry::seq));
    return candidates.subList(0, Math.min(limit, candidates.size()));
  }

  private record ReadyEntry(byte[] key, int priority, long seq) {}

  public void checkComplete(CompleteRequest request) {
    Validate.maxBytes("result", request.getResult().size(), limits.maxResultBytes());
    ItemIds.check("item_id", request.getItemId());
    if (!request.hasToken()) {
      throw Rejections.invalid("token", "is required: echo the lease token returned by claim");
    }
  }

  public CompleteResult complete(ApplyContext ctx, CompleteRequest request) {
    checkComplete(request);
    ItemStore items = new ItemStore(ctx.batch());
    WorkItem item = items.require("item_id", request.getItemId());
    LeaseToken token = request.getToken();
    boolean live = item.getState() == WorkState.WORK_STATE_CLAIMED || item.getState() == WorkState.WORK_STATE_RUNNING;
    if (!item.getLease().equals(token)) {
      throw Rejections.staleToken("item " + item.getId() + ": token " + format(token)
          + " is not the current lease " + format(item.getLease()));
    }
    if (item.getState() == WorkState.WORK_STATE_COMPLETED) {
      // A retried complete with the same token: the first one won, report it again.
      return CompleteResult.newBuilder().setItem(item).build();
    }
    if (!live) {
      throw Rejections.staleToken("item " + item.getId() + " is " + WorkStates.name(item.getState())
          + ", its lease is over");
    }
    WorkItem completed = item.toBuilder()
        .setState(WorkState.WORK_STATE_COMPLETED)
        .setResult(request.getResult())
        .setFinishedMs(ctx.nowMs())
        .setUpdatedMs(ctx.nowMs())
        .setLeaseExpiresMs(0)
        .build();
    ctx.batch().delete(Family.LEASES, QueueKeys.lease(item.getLeaseExpiresMs(), item.getEnqueueSeq()));
    items.put(completed);
    StateCounts.move(ctx.meta(), item.getState(), WorkState.WORK_STATE_COMPLETED);
    return CompleteResult.newBuilder().setItem(completed).build();
  }

  static String format(LeaseToken token) {
    return "(" + token.getTerm() + "," + token.getSequence() + ")";
  }
}
