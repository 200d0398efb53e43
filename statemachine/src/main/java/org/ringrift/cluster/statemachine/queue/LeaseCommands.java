package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.nodes.NodeStore;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/**
 * The worker's commands on a leased item. Each must echo the current lease token of a lease that
 * has not run out; anything else is a stale token, rejected and counted.
 */
public final class LeaseCommands {
  private final QueueLimits limits;

  public LeaseCommands(QueueLimits limits) {
    this.limits = limits;
  }

  public void checkToken(String itemId, boolean hasToken) {
    ItemIds.check("item_id", itemId);
    if (!hasToken) {
      throw Rejections.invalid("token", "is required: echo the lease token returned by claim");
    }
  }

  public void check(ExtendRequest request) {
    checkToken(request.getItemId(), request.hasToken());
    if (request.getLeaseMs() != 0) {
      Validate.range("lease_ms", request.getLeaseMs(), limits.minLeaseMs(), limits.maxLeaseMs());
    }
  }

  public void check(CompleteRequest request) {
    checkToken(request.getItemId(), request.hasToken());
    Validate.maxBytes("result", request.getResult().size(), limits.maxResultBytes());
  }

  public void check(FailRequest request) {
    checkToken(request.getItemId(), request.hasToken());
    Validate.maxBytes("error", request.getError().length(), limits.maxErrorLength());
  }

  public WorkItem extend(ApplyContext ctx, ExtendRequest request) {
    check(request);
    WorkItem item = requireLive(ctx, request.getItemId(), request.getToken());
    long deadline = item.getClaimedMs() + item.getTimeoutMs();
    if (ctx.nowMs() >= deadline) {
      throw Rejections.precondition("item_id", "item " + item.getId() + " used its whole timeout of "
          + item.getTimeoutMs() + " ms; the lease cannot be extended");
    }
    long leaseMs = request.getLeaseMs() == 0 ? limits.defaultLeaseMs() : request.getLeaseMs();
    WorkItem extended = item.toBuilder().setLeaseExpiresMs(Math.min(ctx.nowMs() + leaseMs, deadline))
        .setUpdatedMs(ctx.nowMs()).build();
    new ItemIndex(ctx).put(item, extended);
    return extended;
  }

  public WorkItem start(ApplyContext ctx, StartRequest request) {
    checkToken(request.getItemId(), request.hasToken());
    WorkItem item = requireLive(ctx, request.getItemId(), request.getToken());
    if (item.getState() == WorkState.WORK_STATE_RUNNING) {
      return item;
    }
    WorkItem running = item.toBuilder().setState(WorkState.WORK_STATE_RUNNING).setStartedMs(ctx.nowMs())
        .setUpdatedMs(ctx.nowMs()).build();
    new ItemIndex(ctx).put(item, running);
    return running;
  }

  public WorkItem complete(ApplyContext ctx, CompleteRequest request) {
    check(request);
    WorkItem current = new ItemStore(ctx.batch()).require("item_id", request.getItemId());
    if (current.getState() == WorkState.WORK_STATE_COMPLETED && current.getLease().equals(request.getToken())) {
      // A retried complete with the same token: the first one won, report it again.
      return current;
    }
    WorkItem item = requireLive(ctx, request.getItemId(), request.getToken());
    WorkItem completed = item.toBuilder()
        .setState(WorkState.WORK_STATE_COMPLETED)
        .setResult(request.getResult())
        .setFinishedMs(ctx.nowMs())
        .setUpdatedMs(ctx.nowMs())
        .setLeaseExpiresMs(0)
        .build();
    new ItemIndex(ctx).put(item, completed);
    ctx.meta().add(MetaKeys.COMPLETED_TOTAL, 1);
    ctx.events().append(EventTypes.WORK_COMPLETED, completed.getId(), "by " + completed.getClaimedBy() + " on "
        + completed.getClaimedNode() + " after " + completed.getAttempts() + " attempt(s)");
    return completed;
  }

  public WorkItem fail(ApplyContext ctx, FailRequest request) {
    check(request);
    WorkItem item = requireLive(ctx, request.getItemId(), request.getToken());
    WorkItem next = Transitions.retryOrDeadLetter(ctx, item, request.getError(), request.getPermanent(),
        WorkState.WORK_STATE_FAILED, limits.maxListSize());
    new ItemIndex(ctx).put(item, next);
    new NodeStore(ctx.batch()).chargeFailure(ctx, item.getClaimedNode());
    reportRetryOrDeadLetter(ctx, next, EventTypes.WORK_FAILED);
    return next;
  }

  public WorkItem release(ApplyContext ctx, ReleaseRequest request) {
    checkToken(request.getItemId(), request.hasToken());
    WorkItem item = requireLive(ctx, request.getItemId(), request.getToken());
    WorkItem released = item.toBuilder()
        .setState(WorkState.WORK_STATE_PENDING)
        .setAttempts(Math.max(0, item.getAttempts() - 1))
        .setLeaseExpiresMs(0)
        .setUpdatedMs(ctx.nowMs())
        .build();
    new ItemIndex(ctx).put(item, released);
    return released;
  }

  static void reportRetryOrDeadLetter(ApplyContext ctx, WorkItem next, String deadEvent) {
    if (next.getState() == WorkState.WORK_STATE_PENDING) {
      ctx.events().append(EventTypes.WORK_RETRY, next.getId(), "attempt " + next.getAttempts() + " of "
          + next.getMaxAttempts() + " failed: " + next.getLastError());
    } else {
      ctx.events().append(deadEvent, next.getId(), "dead letter after " + next.getAttempts() + " attempts: "
          + next.getLastError());
    }
  }

  /** The item, if {@code token} is its current lease and the lease has not run out. */
  private static WorkItem requireLive(ApplyContext ctx, String itemId, LeaseToken token) {
    WorkItem item = new ItemStore(ctx.batch()).require("item_id", itemId);
    if (!item.getLease().equals(token)) {
      throw Rejections.staleToken("item " + item.getId() + ": token " + format(token)
          + " is not the current lease " + format(item.getLease()));
    }
    if (!Transitions.isLeased(item.getState())) {
      throw Rejections.staleToken("item " + item.getId() + " is " + WorkStates.name(item.getState())
          + "; lease " + format(token) + " is over");
    }
    if (item.getLeaseExpiresMs() <= ctx.nowMs()) {
      throw Rejections.staleToken("item " + item.getId() + ": lease " + format(token) + " ran out at "
          + item.getLeaseExpiresMs());
    }
    return item;
  }

  static String format(LeaseToken token) {
    return token.getTerm() + "." + token.getSequence();
  }

}
