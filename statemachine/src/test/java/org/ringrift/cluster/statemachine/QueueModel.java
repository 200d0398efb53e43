package org.ringrift.cluster.statemachine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ItemResult;
import org.ringrift.cluster.proto.ItemsResult;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

/**
 * The work queue's semantics written a second time, as plainly as possible: maps and lists, no
 * RocksDB, no indexes, no counters kept in step. It interprets the same {@link Command}s and
 * answers the same {@link CommandResult}s (rejections without their message), so a property test
 * can hold the real state machine to it. It covers the queue commands the property test sends.
 */
final class QueueModel {
  private static final long DEFAULT_LEASE_MS = 300_000;
  private static final long IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000L;
  private static final int DEFAULT_MAX_ATTEMPTS = 3;
  private static final int REDRIVE_DEFAULT_LIMIT = 100;

  /** The replicated config the test sets before the sequence starts. */
  record Config(long softLimit, long hardLimit, long recovery, long groupLimit, long backoffBaseMs,
      long backoffMaxMs, Map<WorkType, Long> timeoutMs) {}

  private final Config config;
  private TreeMap<Long, WorkItem> items = new TreeMap<>();
  private Map<String, long[]> idempotency = new HashMap<>(); // key -> {item seq, expires}
  private TreeMap<String, NodeRecord> nodes = new TreeMap<>();
  private long itemSeq;
  private long leaseSeq;
  private long staleRejections;
  private long leasesExpired;
  private long completedTotal;
  private long fencedRejections;
  private boolean backpressure;
  private long clockMs;

  QueueModel(Config config, long clockMs) {
    this.config = config;
    this.clockMs = clockMs;
  }

  List<WorkItem> items() {
    return List.copyOf(items.values());
  }

  List<NodeRecord> nodes() {
    return List.copyOf(nodes.values());
  }

  long nextItemSeq() {
    return itemSeq + 1;
  }

  QueueStats stats() {
    Map<WorkState, Long> counts = new HashMap<>();
    Map<String, Long> pendingByType = new TreeMap<>();
    for (WorkItem item : items.values()) {
      counts.merge(item.getState(), 1L, Long::sum);
      if (item.getState() == WorkState.WORK_STATE_PENDING) {
        pendingByType.merge(WorkTypes.name(item.getType()), 1L, Long::sum);
      }
    }
    return QueueStats.newBuilder()
        .setPending(counts.getOrDefault(WorkState.WORK_STATE_PENDING, 0L))
        .setClaimed(counts.getOrDefault(WorkState.WORK_STATE_CLAIMED, 0L))
        .setRunning(counts.getOrDefault(WorkState.WORK_STATE_RUNNING, 0L))
        .setCompleted(counts.getOrDefault(WorkState.WORK_STATE_COMPLETED, 0L))
        .setFailed(counts.getOrDefault(WorkState.WORK_STATE_FAILED, 0L))
        .setTimeout(counts.getOrDefault(WorkState.WORK_STATE_TIMEOUT, 0L))
        .setCancelled(counts.getOrDefault(WorkState.WORK_STATE_CANCELLED, 0L))
        .setStaleTokenRejections(staleRejections)
        .setLeasesExpired(leasesExpired)
        .setCompletedTotal(completedTotal)
        .setFencedRejections(fencedRejections)
        .setBackpressureActive(backpressure)
        .putAllPendingByType(pendingByType)
        .setOldestLeaseExpiresMs(items.values().stream()
            .filter(i -> i.getState() == WorkState.WORK_STATE_CLAIMED || i.getState() == WorkState.WORK_STATE_RUNNING)
            .mapToLong(WorkItem::getLeaseExpiresMs).min().orElse(0))
        .setOldestTerminalFinishedMs(items.values().stream()
            .filter(i -> i.getState() == WorkState.WORK_STATE_COMPLETED || i.getState() == WorkState.WORK_STATE_FAILED
                || i.getState() == WorkState.WORK_STATE_TIMEOUT || i.getState() == WorkState.WORK_STATE_CANCELLED)
            .mapToLong(WorkItem::getFinishedMs).min().orElse(0))
        .build();
  }

  /** A refusal; the model rolls back whatever the command had done. */
  private static final class Refused extends RuntimeException {
    final RejectCode code;
    final String field;

    Refused(RejectCode code, String field) {
      super(code + " " + field, null, false, false);
      this.code = code;
      this.field = field;
    }
  }

  CommandResult apply(Command command, long entryTerm) {
    TreeMap<Long, WorkItem> savedItems = new TreeMap<>(items);
    Map<String, long[]> savedIdempotency = new HashMap<>(idempotency);
    TreeMap<String, NodeRecord> savedNodes = new TreeMap<>(nodes);
    long savedItemSeq = itemSeq;
    long savedLeaseSeq = leaseSeq;
    boolean savedBackpressure = backpressure;
    try {
      checkStateless(command);
      if (command.getExpectedTerm() != 0 && command.getExpectedTerm() != entryTerm) {
        throw new Refused(RejectCode.REJECT_FENCED, "expected_term");
      }
      long now = Math.max(clockMs, command.getNowMs());
      CommandResult result = dispatch(command, entryTerm, now);
      clockMs = now;
      return result;
    } catch (Refused refused) {
      items = savedItems;
      idempotency = savedIdempotency;
      nodes = savedNodes;
      itemSeq = savedItemSeq;
      leaseSeq = savedLeaseSeq;
      backpressure = savedBackpressure;
      if (refused.code == RejectCode.REJECT_STALE_TOKEN) {
        staleRejections++;
      } else if (refused.code == RejectCode.REJECT_FENCED) {
        fencedRejections++;
      }
      return CommandResult.newBuilder().setRejected(
          Rejection.newBuilder().setCode(refused.code).setField(refused.field)).build();
    }
  }

  /** Only the stateless checks the generated commands can fail. */
  private static void checkStateless(Command command) {
    switch (command.getBodyCase()) {
      case ENQUEUE -> checkEnqueue(command.getEnqueue());
      case ENQUEUE_BATCH -> command.getEnqueueBatch().getItemsList().forEach(QueueModel::checkEnqueue);
      case SET_PRIORITY -> {
        if (command.getSetPriority().getPriority() < 0 || command.getSetPriority().getPriority() > 100) {
          throw invalid("priority");
        }
      }
      case REDRIVE -> {
        Set<String> seen = new HashSet<>();
        for (String id : command.getRedrive().getItemIdsList()) {
          if (!seen.add(id)) {
            throw invalid("item_ids");
          }
        }
      }
      case EXPIRE_LEASES -> {
        if (command.getExpectedTerm() == 0) {
          throw invalid("expected_term");
        }
      }
      default -> { }
    }
  }

  private static void checkEnqueue(EnqueueRequest request) {
    if (request.getPriority() < 0 || request.getPriority() > 100) {
      throw invalid("priority");
    }
  }

  private CommandResult dispatch(Command command, long term, long now) {
    CommandResult.Builder r = CommandResult.newBuilder();
    switch (command.getBodyCase()) {
      case ENQUEUE -> r.setEnqueue(enqueue(command.getEnqueue(), now));
      case ENQUEUE_BATCH -> {
        EnqueueBatchResult.Builder batch = EnqueueBatchResult.newBuilder();
        for (EnqueueRequest request : command.getEnqueueBatch().getItemsList()) {
          batch.addResults(enqueue(request, now));
        }
        r.setEnqueueBatch(batch);
      }
      case CLAIM -> r.setClaim(claim(command.getClaim(), term, now));
      case START -> r.setItem(item(start(command.getStart().getItemId(), command.getStart().getToken(), now)));
      case EXTEND -> r.setItem(item(extend(command.getExtend().getItemId(), command.getExtend().getToken(),
          command.getExtend().getLeaseMs(), now)));
      case COMPLETE -> r.setItem(item(complete(command.getComplete().getItemId(), command.getComplete().getToken(),
          command.getComplete().getResult(), now)));
      case FAIL -> r.setItem(item(fail(command.getFail().getItemId(), command.getFail().getToken(),
          command.getFail().getError(), command.getFail().getPermanent(), now)));
      case RELEASE -> r.setItem(item(release(command.getRelease().getItemId(), command.getRelease().getToken(), now)));
      case CANCEL -> r.setItem(item(cancel(command.getCancel().getItemId(), command.getCancel().getReason(), now)));
      case SET_PRIORITY -> r.setItem(item(setPriority(command.getSetPriority().getItemId(),
          command.getSetPriority().getPriority(), now)));
      case REDRIVE -> r.setItems(ItemsResult.newBuilder().addAllItems(redrive(command.getRedrive(), now)));
      case EXPIRE_LEASES -> r.setItems(ItemsResult.newBuilder()
          .addAllItems(expire(command.getExpireLeases().getMaxItems(), now)));
      default -> throw new IllegalArgumentException("the model does not know " + command.getBodyCase());
    }
    return r.build();
  }

  private static ItemResult item(WorkItem item) {
    return ItemResult.newBuilder().setItem(item).build();
  }

  // ---- enqueue ----

  private EnqueueResult enqueue(EnqueueRequest request, long now) {
    String key = request.getIdempotencyKey();
    if (!key.isEmpty()) {
      long[] earlier = idempotency.get(key);
      if (earlier != null && earlier[1] > now && items.containsKey(earlier[0])) {
        return EnqueueResult.newBuilder().setItem(items.get(earlier[0])).setCreated(false).build();
      }
    }
    long pending = count(WorkState.WORK_STATE_PENDING);
    if (pending >= config.hardLimit() && !request.getForce()) {
      throw new Refused(RejectCode.REJECT_BACKPRESSURE, "pending");
    }
    if (pending + 1 >= config.softLimit()) {
      backpressure = true;
    }
    for (String dependency : request.getDependsOnList()) {
      if (!items.containsKey(seqOf(dependency))) {
        throw new Refused(RejectCode.REJECT_NOT_FOUND, "depends_on");
      }
    }
    long seq = ++itemSeq;
    WorkItem item = WorkItem.newBuilder()
        .setId("w-" + seq)
        .setEnqueueSeq(seq)
        .setType(request.getType())
        .setPayload(request.getPayload())
        .setPriority(request.getPriority())
        .setState(WorkState.WORK_STATE_PENDING)
        .setMaxAttempts(request.getMaxAttempts() == 0 ? DEFAULT_MAX_ATTEMPTS : request.getMaxAttempts())
        .setTimeoutMs(request.getTimeoutMs() == 0 ? config.timeoutMs().get(request.getType()) : request.getTimeoutMs())
        .setIdempotencyKey(key)
        .addAllDependsOn(request.getDependsOnList())
        .setGroupKey(request.getGroupKey())
        .setTargetNode(request.getTargetNode())
        .setTargetNodeExpiresMs(request.getTargetNodeExpiresMs())
        .addAllExcludedNodes(new LinkedHashSet<>(request.getExcludedNodesList()))
        .addAllRequiredCapabilities(new LinkedHashSet<>(request.getRequiredCapabilitiesList()))
        .setCreatedMs(now)
        .setUpdatedMs(now)
        .build();
    items.put(seq, item);
    if (!key.isEmpty()) {
      idempotency.put(key, new long[] {seq, now + IDEMPOTENCY_WINDOW_MS});
    }
    return EnqueueResult.newBuilder().setItem(item).setCreated(true).build();
  }

  // ---- claim: the first eligible items by priority then enqueue order, greedily ----

  private ClaimResult claim(ClaimRequest request, long term, long now) {
    String node = request.getNodeId().isEmpty() ? request.getWorkerId() : request.getNodeId();
    int maxItems = request.getMaxItems() == 0 ? 1 : request.getMaxItems();
    long leaseMs = request.getLeaseMs() == 0 ? DEFAULT_LEASE_MS : request.getLeaseMs();
    Set<WorkType> types = request.getWorkTypesCount() == 0
        ? Set.copyOf(WorkTypes.all()) : Set.copyOf(request.getWorkTypesList());
    List<WorkItem> candidates = items.values().stream()
        .filter(i -> i.getState() == WorkState.WORK_STATE_PENDING && types.contains(i.getType()))
        .sorted(Comparator.comparingInt(WorkItem::getPriority).reversed().thenComparingLong(WorkItem::getEnqueueSeq))
        .toList();
    Map<String, Long> inFlight = new HashMap<>();
    for (WorkItem item : items.values()) {
      if (leased(item.getState()) && !item.getGroupKey().isEmpty()) {
        inFlight.merge(item.getGroupKey(), 1L, Long::sum);
      }
    }
    ClaimResult.Builder result = ClaimResult.newBuilder();
    for (WorkItem item : candidates) {
      if (result.getItemsCount() == maxItems) {
        break;
      }
      if (eligible(item, node, request.getCapabilitiesList(), inFlight, now)) {
        inFlight.merge(item.getGroupKey(), 1L, Long::sum);
        LeaseToken token = LeaseToken.newBuilder().setTerm(term).setSequence(++leaseSeq).build();
        WorkItem leasedItem = item.toBuilder()
            .setState(WorkState.WORK_STATE_CLAIMED)
            .setAttempts(item.getAttempts() + 1)
            .setClaimedBy(request.getWorkerId())
            .setClaimedNode(node)
            .setClaimedMs(now)
            .setStartedMs(0)
            .setUpdatedMs(now)
            .setLease(token)
            .setLeaseExpiresMs(now + Math.min(leaseMs, item.getTimeoutMs()))
            .setNotBeforeMs(0)
            .build();
        items.put(item.getEnqueueSeq(), leasedItem);
        result.addItems(leasedItem);
      }
    }
    maybeReleaseBackpressure();
    return result.build();
  }

  private boolean eligible(WorkItem item, String node, List<String> capabilities, Map<String, Long> inFlight,
      long now) {
    boolean targeted = !item.getTargetNode().isEmpty()
        && (item.getTargetNodeExpiresMs() == 0 || item.getTargetNodeExpiresMs() > now);
    boolean groupFull = !item.getGroupKey().isEmpty()
        && inFlight.getOrDefault(item.getGroupKey(), 0L) >= config.groupLimit();
    boolean waiting = item.getDependsOnList().stream().anyMatch(d -> !items.containsKey(seqOf(d))
        || items.get(seqOf(d)).getState() != WorkState.WORK_STATE_COMPLETED);
    return item.getNotBeforeMs() <= now
        && !item.getExcludedNodesList().contains(node)
        && (!targeted || item.getTargetNode().equals(node))
        && capabilities.containsAll(item.getRequiredCapabilitiesList())
        && !groupFull
        && !waiting;
  }

  // ---- the lease holder's commands ----

  private WorkItem live(String id, LeaseToken token, long now) {
    WorkItem item = require(id, "item_id");
    if (!item.getLease().equals(token) || !leased(item.getState()) || item.getLeaseExpiresMs() <= now) {
      throw new Refused(RejectCode.REJECT_STALE_TOKEN, "token");
    }
    return item;
  }

  private WorkItem start(String id, LeaseToken token, long now) {
    WorkItem item = live(id, token, now);
    if (item.getState() == WorkState.WORK_STATE_RUNNING) {
      return item;
    }
    return put(item.toBuilder().setState(WorkState.WORK_STATE_RUNNING).setStartedMs(now).setUpdatedMs(now).build());
  }

  private WorkItem extend(String id, LeaseToken token, long leaseMs, long now) {
    WorkItem item = live(id, token, now);
    long deadline = item.getClaimedMs() + item.getTimeoutMs();
    if (now >= deadline) {
      throw new Refused(RejectCode.REJECT_FAILED_PRECONDITION, "item_id");
    }
    long length = leaseMs == 0 ? DEFAULT_LEASE_MS : leaseMs;
    return put(item.toBuilder().setLeaseExpiresMs(Math.min(now + length, deadline)).setUpdatedMs(now).build());
  }

  private WorkItem complete(String id, LeaseToken token, com.google.protobuf.ByteString result, long now) {
    WorkItem current = require(id, "item_id");
    if (current.getState() == WorkState.WORK_STATE_COMPLETED && current.getLease().equals(token)) {
      return current;
    }
    WorkItem item = live(id, token, now);
    completedTotal++;
    return put(item.toBuilder().setState(WorkState.WORK_STATE_COMPLETED).setResult(result).setFinishedMs(now)
        .setUpdatedMs(now).setLeaseExpiresMs(0).build());
  }

  private WorkItem fail(String id, LeaseToken token, String error, boolean permanent, long now) {
    WorkItem item = live(id, token, now);
    WorkItem next = put(retryOrDeadLetter(item, error, permanent, WorkState.WORK_STATE_FAILED, now));
    chargeFailure(item.getClaimedNode(), now);
    return next;
  }

  private WorkItem release(String id, LeaseToken token, long now) {
    WorkItem item = live(id, token, now);
    return put(item.toBuilder().setState(WorkState.WORK_STATE_PENDING).setAttempts(Math.max(0, item.getAttempts() - 1))
        .setLeaseExpiresMs(0).setUpdatedMs(now).build());
  }

  // ---- operator and reaper commands ----

  private WorkItem cancel(String id, String reason, long now) {
    WorkItem item = require(id, "item_id");
    if (terminal(item.getState())) {
      throw new Refused(RejectCode.REJECT_FAILED_PRECONDITION, "item_id");
    }
    WorkItem cancelled = put(item.toBuilder().setState(WorkState.WORK_STATE_CANCELLED)
        .setLastError(reason.isEmpty() ? "cancelled" : reason).setFinishedMs(now).setUpdatedMs(now)
        .setLeaseExpiresMs(0).build());
    maybeReleaseBackpressure();
    return cancelled;
  }

  /** Only a pending item; the same priority changes nothing, not even updated_ms. */
  private WorkItem setPriority(String id, int priority, long now) {
    WorkItem item = require(id, "item_id");
    if (item.getState() != WorkState.WORK_STATE_PENDING) {
      throw new Refused(RejectCode.REJECT_FAILED_PRECONDITION, "item_id");
    }
    return item.getPriority() == priority ? item
        : put(item.toBuilder().setPriority(priority).setUpdatedMs(now).build());
  }

  private List<WorkItem> redrive(RedriveRequest request, long now) {
    List<WorkItem> targets = new ArrayList<>();
    if (request.getAll()) {
      int limit = request.getLimit() == 0 ? REDRIVE_DEFAULT_LIMIT : request.getLimit();
      items.values().stream()
          .filter(i -> deadLetter(i.getState()))
          .sorted(Comparator.comparingLong(WorkItem::getFinishedMs).thenComparingLong(WorkItem::getEnqueueSeq))
          .limit(limit)
          .forEach(targets::add);
    } else {
      for (String id : request.getItemIdsList()) {
        WorkItem item = require(id, "item_ids");
        if (!deadLetter(item.getState())) {
          throw new Refused(RejectCode.REJECT_FAILED_PRECONDITION, "item_ids");
        }
        targets.add(item);
      }
    }
    List<WorkItem> redriven = new ArrayList<>();
    for (WorkItem item : targets) {
      redriven.add(put(item.toBuilder().setState(WorkState.WORK_STATE_PENDING).setAttempts(0).setFinishedMs(0)
          .setNotBeforeMs(0).setUpdatedMs(now).build()));
    }
    return redriven;
  }

  private List<WorkItem> expire(int maxItems, long now) {
    List<WorkItem> due = items.values().stream()
        .filter(i -> leased(i.getState()) && i.getLeaseExpiresMs() <= now)
        .sorted(Comparator.comparingLong(WorkItem::getLeaseExpiresMs).thenComparingLong(WorkItem::getEnqueueSeq))
        .limit(maxItems)
        .toList();
    List<WorkItem> results = new ArrayList<>();
    for (WorkItem item : due) {
      results.add(put(retryOrDeadLetter(item, "lease expired", false, WorkState.WORK_STATE_TIMEOUT, now)));
      chargeFailure(item.getClaimedNode(), now);
      leasesExpired++;
    }
    return results;
  }

  // ---- shared steps ----

  private WorkItem retryOrDeadLetter(WorkItem item, String error, boolean permanent, WorkState dead, long now) {
    WorkItem.Builder next = item.toBuilder().setLastError(error).setUpdatedMs(now).setLeaseExpiresMs(0);
    if (permanent || item.getAttempts() >= item.getMaxAttempts()) {
      return next.setState(dead).setFinishedMs(now).build();
    }
    if (!item.getClaimedNode().isEmpty() && !item.getExcludedNodesList().contains(item.getClaimedNode())) {
      if (item.getExcludedNodesCount() >= 32) {
        List<String> kept = new ArrayList<>(item.getExcludedNodesList().subList(1, item.getExcludedNodesCount()));
        next.clearExcludedNodes().addAllExcludedNodes(kept);
      }
      next.addExcludedNodes(item.getClaimedNode());
    }
    long backoff = config.backoffBaseMs();
    for (int i = 1; i < item.getAttempts() && backoff < config.backoffMaxMs(); i++) {
      backoff *= 2;
    }
    return next.setState(WorkState.WORK_STATE_PENDING)
        .setNotBeforeMs(now + Math.min(backoff, config.backoffMaxMs())).build();
  }

  private void chargeFailure(String node, long now) {
    if (node.isEmpty()) {
      return;
    }
    NodeRecord record = nodes.getOrDefault(node, NodeRecord.newBuilder().setNodeId(node).setFirstSeenMs(now)
        .setHealth(NodeHealth.NODE_HEALTH_UNSPECIFIED).build());
    nodes.put(node, record.toBuilder().setFailureCount(record.getFailureCount() + 1).build());
  }

  private void maybeReleaseBackpressure() {
    if (backpressure && count(WorkState.WORK_STATE_PENDING) <= config.recovery()) {
      backpressure = false;
    }
  }

  private WorkItem require(String id, String field) {
    WorkItem item = items.get(seqOf(id));
    if (item == null) {
      throw new Refused(RejectCode.REJECT_NOT_FOUND, field);
    }
    return item;
  }

  private WorkItem put(WorkItem item) {
    items.put(item.getEnqueueSeq(), item);
    return item;
  }

  private long count(WorkState state) {
    return items.values().stream().filter(i -> i.getState() == state).count();
  }

  private static long seqOf(String id) {
    return Long.parseLong(id.substring(2));
  }

  private static Refused invalid(String field) {
    return new Refused(RejectCode.REJECT_INVALID_ARGUMENT, field);
  }

  private static boolean leased(WorkState state) {
    return state == WorkState.WORK_STATE_CLAIMED || state == WorkState.WORK_STATE_RUNNING;
  }

  private static boolean deadLetter(WorkState state) {
    return state == WorkState.WORK_STATE_FAILED || state == WorkState.WORK_STATE_TIMEOUT;
  }

  private static boolean terminal(WorkState state) {
    return deadLetter(state) || state == WorkState.WORK_STATE_COMPLETED || state == WorkState.WORK_STATE_CANCELLED;
  }
}
