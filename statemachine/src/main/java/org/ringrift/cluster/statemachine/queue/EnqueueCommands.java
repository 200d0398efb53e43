package org.ringrift.cluster.statemachine.queue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Enqueue, single and batch, with idempotency and atomic backpressure. */
public final class EnqueueCommands {
  private final QueueLimits limits;

  public EnqueueCommands(QueueLimits limits) {
    this.limits = limits;
  }

  /** The checks that need no state: run at the API edge and again at apply. */
  public void check(EnqueueRequest request) {
    Validate.workType("type", request.getTypeValue());
    Validate.priority("priority", request.getPriority());
    Validate.maxBytes("payload", request.getPayload().size(), limits.maxPayloadBytes());
    if (request.getMaxAttempts() != 0) {
      Validate.range("max_attempts", request.getMaxAttempts(), 1, limits.maxMaxAttempts());
    }
    if (request.getTimeoutMs() != 0) {
      Validate.range("timeout_ms", request.getTimeoutMs(), 1_000L, limits.maxTimeoutMs());
    }
    Validate.id("idempotency_key", request.getIdempotencyKey(), limits.maxIdLength(), false);
    Validate.id("group_key", request.getGroupKey(), limits.maxIdLength(), false);
    Validate.id("target_node", request.getTargetNode(), limits.maxIdLength(), false);
    Validate.list("depends_on", request.getDependsOnList(), limits.maxListSize());
    for (String dependency : request.getDependsOnList()) {
      ItemIds.check("depends_on", dependency);
    }
    Validate.idList("excluded_nodes", request.getExcludedNodesList(), limits);
    Validate.idList("required_capabilities", request.getRequiredCapabilitiesList(), limits);
  }

  public void check(EnqueueBatchRequest request) {
    if (request.getItemsCount() == 0) {
      throw Rejections.invalid("items", "a batch needs at least one item");
    }
    Validate.range("items", request.getItemsCount(), 1, limits.maxBatchSize());
    for (EnqueueRequest item : request.getItemsList()) {
      check(item);
    }
  }

  public EnqueueResult enqueue(ApplyContext ctx, EnqueueRequest request) {
    ItemStore items = new ItemStore(ctx.batch());
    if (!request.getIdempotencyKey().isEmpty()) {
      WorkItem earlier = findByIdempotencyKey(ctx, items, request.getIdempotencyKey());
      if (earlier != null) {
        return EnqueueResult.newBuilder().setItem(earlier).setCreated(false).build();
      }
    }
    admit(ctx, request.getType(), request.getForce());
    for (String dependency : request.getDependsOnList()) {
      items.require("depends_on", dependency);
    }
    long seq = ctx.meta().next(MetaKeys.NEXT_ITEM_SEQ);
    WorkItem item = WorkItem.newBuilder()
        .setId(ItemIds.format(seq))
        .setEnqueueSeq(seq)
        .setType(request.getType())
        .setPayload(request.getPayload())
        .setPriority(request.getPriority())
        .setState(WorkState.WORK_STATE_PENDING)
        .setMaxAttempts(request.getMaxAttempts() == 0 ? limits.defaultMaxAttempts() : request.getMaxAttempts())
        .setTimeoutMs(request.getTimeoutMs() == 0
            ? ctx.config().get(ConfigKeys.timeoutKey(request.getType())) : request.getTimeoutMs())
        .setIdempotencyKey(request.getIdempotencyKey())
        .addAllDependsOn(request.getDependsOnList())
        .setGroupKey(request.getGroupKey())
        .setTargetNode(request.getTargetNode())
        .setTargetNodeExpiresMs(request.getTargetNodeExpiresMs())
        .addAllExcludedNodes(distinct(request.getExcludedNodesList()))
        .addAllRequiredCapabilities(distinct(request.getRequiredCapabilitiesList()))
        .setCreatedMs(ctx.nowMs())
        .setUpdatedMs(ctx.nowMs())
        .build();
    new ItemIndex(ctx).put(null, item);
    ctx.events().append(EventTypes.WORK_ENQUEUED, item.getId(), WorkTypes.name(item.getType()) + " priority "
        + item.getPriority());
    if (!request.getIdempotencyKey().isEmpty()) {
      ctx.batch().put(Family.IDEMPOTENCY, QueueKeys.idempotency(request.getIdempotencyKey()),
          IdempotencyRecords.encode(seq, ctx.nowMs() + limits.idempotencyWindowMs()));
    }
    return EnqueueResult.newBuilder().setItem(item).setCreated(true).build();
  }

  public EnqueueBatchResult enqueueBatch(ApplyContext ctx, EnqueueBatchRequest request) {
    EnqueueBatchResult.Builder result = EnqueueBatchResult.newBuilder();
    for (EnqueueRequest item : request.getItemsList()) {
      result.addResults(enqueue(ctx, item));
    }
    return result.build();
  }

  /** Backpressure, decided against the pending counts of this very state: no check-then-act race. */
  private static void admit(ApplyContext ctx, WorkType type, boolean force) {
    long pending = StateCounts.pending(ctx.meta());
    long hard = ctx.config().get(ConfigKeys.PENDING_HARD_LIMIT);
    if (pending >= hard && !force) {
      throw Rejections.backpressure("pending", pending + " pending items reached the hard limit " + hard
          + " (" + ConfigKeys.PENDING_HARD_LIMIT + "); retry later or force");
    }
    long cap = ctx.config().get(ConfigKeys.pendingCapKey(type));
    long pendingOfType = StateCounts.pending(ctx.meta(), type);
    if (cap > 0 && pendingOfType >= cap && !force) {
      throw Rejections.backpressure("type", pendingOfType + " pending " + WorkTypes.name(type)
          + " items reached the cap " + cap + " (" + ConfigKeys.pendingCapKey(type) + ")");
    }
    long soft = ctx.config().get(ConfigKeys.PENDING_SOFT_LIMIT);
    if (pending + 1 >= soft && ctx.meta().read(MetaKeys.BACKPRESSURE_ACTIVE) == 0) {
      ctx.meta().write(MetaKeys.BACKPRESSURE_ACTIVE, 1);
      ctx.events().append(EventTypes.BACKPRESSURE_ACTIVATED, "queue",
          (pending + 1) + " pending items reached the soft limit " + soft);
    }
  }

  /** Releases backpressure once pending drops to the recovery level; called after items leave pending. */
  static void maybeRelease(ApplyContext ctx) {
    if (ctx.meta().read(MetaKeys.BACKPRESSURE_ACTIVE) == 0) {
      return;
    }
    long pending = StateCounts.pending(ctx.meta());
    long recovery = ctx.config().get(ConfigKeys.PENDING_RECOVERY);
    if (pending <= recovery) {
      ctx.meta().write(MetaKeys.BACKPRESSURE_ACTIVE, 0);
      ctx.events().append(EventTypes.BACKPRESSURE_RELEASED, "queue",
          pending + " pending items, at or below the recovery level " + recovery);
    }
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

  private static List<String> distinct(List<String> values) {
    Set<String> seen = new HashSet<>();
    return values.stream().filter(seen::add).toList();
  }
}
