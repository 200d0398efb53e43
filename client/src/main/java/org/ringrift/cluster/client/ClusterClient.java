package org.ringrift.cluster.client;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.AdminServiceGrpc.AdminServiceBlockingStub;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.CompleteResult;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.WorkItem;

/**
 * A client of the admin API. Any node answers; when one is unreachable the call moves on to the
 * next endpoint, all within one overall deadline. Enqueues without an idempotency key get one,
 * so that moving on can never enqueue twice.
 */
public final class ClusterClient implements AutoCloseable {
  private final List<Endpoint> endpoints;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Duration timeout;
  private int preferred;

  public ClusterClient(List<Endpoint> endpoints, Duration timeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint given");
    }
    this.endpoints = List.copyOf(endpoints);
    this.timeout = timeout;
    for (Endpoint endpoint : this.endpoints) {
      channels.add(ManagedChannelBuilder.forAddress(endpoint.host(), endpoint.port()).usePlaintext().build());
    }
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public NodeStatus status() {
    return call(stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  /** The status of one node, as that node sees it. */
  public NodeStatus statusOf(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  public EnqueueResult enqueue(EnqueueRequest request) {
    EnqueueRequest keyed = request.getIdempotencyKey().isEmpty()
        ? request.toBuilder().setIdempotencyKey("auto-" + UUID.randomUUID()).build()
        : request;
    return call(stub -> stub.enqueue(keyed));
  }

  public ClaimResult claim(ClaimRequest request) {
    return call(stub -> stub.claim(request));
  }

  public CompleteResult complete(CompleteRequest request) {
    return call(stub -> stub.complete(request));
  }

  public WorkItem getItem(String itemId) {
    return call(stub -> stub.getItem(GetItemRequest.newBuilder().setItemId(itemId).build())).getItem();
  }

  public QueueStats queueStats() {
    return call(stub -> stub.getQueueStats(QueueStatsRequest.getDefaultInstance()));
  }

  /** One node's local queue counts, once it has caught up with the leader's commit index. */
  public QueueStats queueStatsOf(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.getQueueStats(QueueStatsRequest.getDefaultInstance()));
  }

  /** The state digest of one node's local state. */
  public DigestResult digestOf(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.getDigest(DigestRequest.getDefaultInstance()));
  }

  private synchronized <T> T call(Function<AdminServiceBlockingStub, T> rpc) {
    Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < endpoints.size() && !deadline.isExpired(); i++) {
      int index = (preferred + i) % endpoints.size();
      try {
        T result = rpc.apply(stub(index, deadline));
        preferred = index;
        return result;
      } catch (StatusRuntimeException e) {
        ClusterException failure = translate(e, endpoints.get(index));
        if (failure.kind() != ErrorKind.UNAVAILABLE) {
          throw failure;
        }
        failures.add(failure.getMessage());
      }
    }
    throw new ClusterException(ErrorKind.UNAVAILABLE, "cluster unavailable within " + timeout.toMillis()
        + " ms: " + (failures.isEmpty() ? "deadline expired" : String.join("; ", failures)));
  }

  private <T> T callOne(int index, Function<AdminServiceBlockingStub, T> rpc) {
    if (index < 0) {
      throw new IllegalArgumentException("not one of this client's endpoints");
    }
    try {
      return rpc.apply(stub(index, Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS)));
    } catch (StatusRuntimeException e) {
      throw translate(e, endpoints.get(index));
    }
  }

  private AdminServiceBlockingStub stub(int index, Deadline deadline) {
    return AdminServiceGrpc.newBlockingStub(channels.get(index)).withDeadline(deadline);
  }

  private static ClusterException translate(StatusRuntimeException e, Endpoint endpoint) {
    String rejectCode = e.getTrailers() == null ? null : e.getTrailers().get(Rejections.REJECT_CODE);
    ErrorKind kind = ErrorKind.of(e.getStatus().getCode(), rejectCode);
    String description = e.getStatus().getDescription();
    String message = kind == ErrorKind.UNAVAILABLE
        ? endpoint + ": " + e.getStatus().getCode() + (description == null ? "" : " " + description)
        : description == null ? e.getStatus().getCode().toString() : description;
    return new ClusterException(kind, message, e);
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
