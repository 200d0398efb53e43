package org.ringrift.cluster.node.auth;

import java.util.Optional;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;

/**
 * What a worker certificate may do with the work permission: heartbeat and claim as its own node
 * (CN = node id = worker id), and extend, start, complete, fail or release only items whose lease
 * it holds. The lease check reads the item (linearizably) before the command goes to the log; the
 * state machine's token check then guarantees the lease did not change hands in between, because
 * a token newer than the one read here is refused here (lease sequences only grow).
 */
public final class WorkerScope {
  /** Reads an item; empty if there is none. */
  @FunctionalInterface
  public interface ItemLookup {
    Optional<WorkItem> item(String itemId) throws Exception;
  }

  private final ItemLookup items;

  public WorkerScope(ItemLookup items) {
    this.items = items;
  }

  /** Why {@code worker} may not send {@code request}, or empty when it may. */
  public Optional<String> refusal(String worker, Object request) throws Exception {
    if (request instanceof org.ringrift.cluster.proto.OpenSessionRequest
        || request instanceof org.ringrift.cluster.proto.CloseSessionRequest) {
      return Optional.empty(); // a session only lets its writes be resent; each write is scoped on its own
    }
    if (request instanceof HeartbeatRequest r) {
      return own(worker, "node_id", r.getNodeId());
    }
    if (request instanceof ClaimRequest r) {
      Optional<String> wrong = own(worker, "worker_id", r.getWorkerId());
      return wrong.isPresent() || r.getNodeId().isEmpty() ? wrong : own(worker, "node_id", r.getNodeId());
    }
    if (request instanceof ExtendRequest r) {
      return leased(worker, r.getItemId(), r.getToken());
    }
    if (request instanceof StartRequest r) {
      return leased(worker, r.getItemId(), r.getToken());
    }
    if (request instanceof CompleteRequest r) {
      return leased(worker, r.getItemId(), r.getToken());
    }
    if (request instanceof FailRequest r) {
      return leased(worker, r.getItemId(), r.getToken());
    }
    if (request instanceof ReleaseRequest r) {
      return leased(worker, r.getItemId(), r.getToken());
    }
    return Optional.of("request " + request.getClass().getSimpleName() + " is not work a worker may do");
  }

  private static Optional<String> own(String worker, String field, String value) {
    return value.equals(worker) ? Optional.empty()
        : Optional.of(field + " '" + value + "' is not this worker's own id '" + worker + "'");
  }

  private Optional<String> leased(String worker, String itemId, LeaseToken token) throws Exception {
    Optional<WorkItem> found = items.item(itemId);
    if (found.isEmpty()) {
      return Optional.empty(); // the service answers NOT_FOUND, and nothing changes
    }
    WorkItem item = found.get();
    if (!item.getClaimedBy().equals(worker)) {
      return Optional.of("item " + itemId + " is leased to '" + item.getClaimedBy() + "', not to '" + worker + "'");
    }
    if (token.getSequence() > item.getLease().getSequence()) {
      return Optional.of("item " + itemId + ": token " + token.getTerm() + "/" + token.getSequence()
          + " was never issued to '" + worker + "'");
    }
    return Optional.empty(); // its own lease, or an older one of its own: the state machine judges staleness
  }
}
