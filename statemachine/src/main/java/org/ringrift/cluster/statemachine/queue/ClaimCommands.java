package org.ringrift.cluster.statemachine.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.nodes.NodeStore;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/**
 * Claim: one linearizable command that picks, deterministically, the first eligible items by
 * priority then enqueue order, and leases them to the worker.
 */
public final class ClaimCommands {
  private final QueueLimits limits;

  public ClaimCommands(QueueLimits limits) {
    this.limits = limits;
  }

  /** A claim request with defaults filled in. */
  record ClaimSpec(String worker, String node, int maxItems, long leaseMs, List<WorkType> types,
      List<String> capabilities) {}

  /**
   * The checks that need no state. CommandRegistry.validate runs them at admission and once at
   * apply, before {@link #claim}, which takes them as passed.
   */
  public void check(ClaimRequest request) {
    Validate.id("worker_id", request.getWorkerId(), limits.maxIdLength(), true);
    Validate.id("node_id", request.getNodeId(), limits.maxIdLength(), false);
    if (request.getMaxItems() != 0) {
      Validate.range("max_items", request.getMaxItems(), 1, limits.maxClaimItems());
    }
    if (request.getLeaseMs() != 0) {
      Validate.range("lease_ms", request.getLeaseMs(), limits.minLeaseMs(), limits.maxLeaseMs());
    }
    for (int type : request.getWorkTypesValueList()) {
      Validate.workType("work_types", type);
    }
    Validate.idList("capabilities", request.getCapabilitiesList(), limits);
  }

  /** A checked request with its defaults filled in. */
  private ClaimSpec spec(ClaimRequest request) {
    String worker = request.getWorkerId();
    String node = request.getNodeId();
    int maxItems = request.getMaxItems() == 0 ? 1 : request.getMaxItems();
    long leaseMs = request.getLeaseMs() == 0 ? limits.defaultLeaseMs() : request.getLeaseMs();
    List<WorkType> types = request.getWorkTypesValueList().stream().map(WorkType::forNumber).distinct().sorted()
        .toList();
    return new ClaimSpec(worker, node.isEmpty() ? worker : node, maxItems, leaseMs,
        types.isEmpty() ? WorkTypes.all() : types, request.getCapabilitiesList());
  }

  public ClaimResult claim(ApplyContext ctx, ClaimRequest request) {
    ClaimSpec spec = spec(request);
    Optional<NodeRecord> node = new NodeStore(ctx.batch()).find(spec.node());
    if (node.isPresent() && node.get().getBlacklistedUntilMs() > ctx.nowMs()) {
      throw Rejections.precondition("node_id", "node " + spec.node() + " is blacklisted until "
          + node.get().getBlacklistedUntilMs() + ": " + node.get().getBlacklistReason());
    }
    if (node.isPresent() && node.get().getDraining()) {
      throw Rejections.precondition("node_id", "node " + spec.node() + " is draining");
    }
    ItemStore items = new ItemStore(ctx.batch());
    ItemIndex index = new ItemIndex(ctx);
    Eligibility eligibility = new Eligibility(ctx, items, spec);
    ClaimResult.Builder result = ClaimResult.newBuilder();
    for (WorkItem item : firstEligible(ctx, items, spec, eligibility)) {
      WorkItem leased = lease(ctx, item, spec);
      index.put(item, leased);
      ctx.events().append(EventTypes.WORK_CLAIMED, leased.getId(), "by " + leased.getClaimedBy() + " on "
          + leased.getClaimedNode() + ", attempt " + leased.getAttempts());
      result.addItems(leased);
    }
    EnqueueCommands.maybeRelease(ctx);
    return result.build();
  }

  private List<WorkItem> firstEligible(ApplyContext ctx, ItemStore items, ClaimSpec spec, Eligibility eligibility) {
    // Scan each type and merge: within a type, key order is already priority then seq. The scan
    // is bounded, so a queue full of ineligible items costs at most claimScanLimit reads.
    List<Candidate> candidates = new ArrayList<>();
    int budget = limits.claimScanLimit();
    for (WorkType type : spec.types()) {
      if (StateCounts.pending(ctx.meta(), type) == 0) {
        continue;
      }
      byte[] prefix = QueueKeys.readyPrefix(type);
      int taken = 0;
      // Group slots this type's candidates take: without them, items of one full group would use
      // up the type's share of candidates and hide the eligible items behind them.
      Map<String, Long> typeGroups = new HashMap<>();
      try (Cursor cursor = ctx.batch().seek(Family.READY, ctx.readyHints().seekFrom(type))) {
        if (cursor.validWithPrefix(prefix)) {
          // Nothing of this claim is written yet: this key is the first live one in the state the claim
          // sees (committed state plus earlier commands of its batch entry; see ReadyHints).
          ctx.readyHints().firstLive(type, cursor.key());
        }
        for (; cursor.validWithPrefix(prefix) && taken < spec.maxItems() && budget > 0; cursor.next(), budget--) {
          byte[] key = cursor.key();
          WorkItem item = items.bySeq(QueueKeys.readySeq(key)).orElseThrow(
              () -> new IllegalStateException("ready entry without item, seq " + QueueKeys.readySeq(key)));
          if (eligibility.test(item, typeGroups)) {
            candidates.add(new Candidate(QueueKeys.readyPriority(key), item.getEnqueueSeq(), item));
            Eligibility.take(typeGroups, item);
            taken++;
          }
        }
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::priority).reversed().thenComparingLong(Candidate::seq));
    // Second pass: group slots are shared across types, so count the ones this claim takes.
    List<WorkItem> chosen = new ArrayList<>();
    Map<String, Long> chosenGroups = new HashMap<>();
    for (Candidate candidate : candidates) {
      if (chosen.size() < spec.maxItems() && eligibility.test(candidate.item(), chosenGroups)) {
        chosen.add(candidate.item());
        Eligibility.take(chosenGroups, candidate.item());
      }
    }
    return chosen;
  }

  private record Candidate(int priority, long seq, WorkItem item) {}

  private static WorkItem lease(ApplyContext ctx, WorkItem item, ClaimSpec spec) {
    LeaseToken token = LeaseToken.newBuilder()
        .setTerm(ctx.entry().term())
        .setSequence(ctx.meta().next(MetaKeys.NEXT_LEASE_SEQ))
        .build();
    long leaseEnd = Math.min(ctx.nowMs() + spec.leaseMs(), ctx.nowMs() + item.getTimeoutMs());
    return item.toBuilder()
        .setState(WorkState.WORK_STATE_CLAIMED)
        .setAttempts(item.getAttempts() + 1)
        .setClaimedBy(spec.worker())
        .setClaimedNode(spec.node())
        .setClaimedMs(ctx.nowMs())
        .setStartedMs(0)
        .setUpdatedMs(ctx.nowMs())
        .setLease(token)
        .setLeaseExpiresMs(leaseEnd)
        .setNotBeforeMs(0)
        .build();
  }

  /** Whether an item may go to this worker now, given the group slots taken within this claim. */
  private static final class Eligibility {
    private final ApplyContext ctx;
    private final ItemStore items;
    private final ClaimSpec spec;
    private final long groupLimit;

    Eligibility(ApplyContext ctx, ItemStore items, ClaimSpec spec) {
      this.ctx = ctx;
      this.items = items;
      this.spec = spec;
      this.groupLimit = ctx.config().get(ConfigKeys.GROUP_MAX_IN_FLIGHT);
    }

    /** {@code taken}: group slots already taken within this claim, on top of the stored counts. */
    boolean test(WorkItem item, Map<String, Long> taken) {
      if (item.getNotBeforeMs() > ctx.nowMs()) {
        return false;
      }
      if (item.getExcludedNodesList().contains(spec.node())) {
        return false;
      }
      boolean targeted = !item.getTargetNode().isEmpty()
          && (item.getTargetNodeExpiresMs() == 0 || item.getTargetNodeExpiresMs() > ctx.nowMs());
      if (targeted && !item.getTargetNode().equals(spec.node())) {
        return false;
      }
      if (!spec.capabilities().containsAll(item.getRequiredCapabilitiesList())) {
        return false;
      }
      if (!item.getGroupKey().isEmpty()
          && StateCounts.inFlight(ctx.meta(), item.getGroupKey()) + taken.getOrDefault(item.getGroupKey(), 0L)
              >= groupLimit) {
        return false;
      }
      for (String dependency : item.getDependsOnList()) {
        Optional<WorkItem> done = items.find("depends_on", dependency);
        if (done.isEmpty() || done.get().getState() != WorkState.WORK_STATE_COMPLETED) {
          return false;
        }
      }
      return true;
    }

    static void take(Map<String, Long> taken, WorkItem item) {
      if (!item.getGroupKey().isEmpty()) {
        taken.merge(item.getGroupKey(), 1L, Long::sum);
      }
    }
  }
}
