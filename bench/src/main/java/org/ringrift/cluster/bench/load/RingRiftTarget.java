package org.ringrift.cluster.bench.load;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/** The RingRift cluster, driven through the real client library (ClusterClient). */
final class RingRiftTarget implements Target {
  /** Enqueue batches for prefilling claimable items; within the queue's batch limit. */
  private static final int PREFILL_BATCH = 100;
  /** The config maximum: deep queues measure enqueue and claim, not backpressure rejections. */
  private static final String PENDING_LIMIT = "1000000";

  private final List<Endpoint> endpoints;
  private final Duration timeout;
  private final boolean sessions;

  RingRiftTarget(List<Endpoint> endpoints, Duration timeout) {
    this(endpoints, timeout, true);
  }

  /**
   * {@code sessions}: the clients write through client sessions (exactly once, the default);
   * false: ClusterClient.withoutSessions (at most once), to measure what sessions cost.
   */
  RingRiftTarget(List<Endpoint> endpoints, Duration timeout, boolean sessions) {
    this.endpoints = List.copyOf(endpoints);
    this.timeout = timeout;
    this.sessions = sessions;
    try (ClusterClient admin = new ClusterClient(endpoints, timeout)) {
      admin.setConfig("queue.pending_hard_limit", PENDING_LIMIT);
      admin.setConfig("queue.pending_soft_limit", PENDING_LIMIT);
    }
  }

  @Override
  public String name() {
    return sessions ? "ringrift" : "ringrift-no-sessions";
  }

  @Override
  public Session session(int index, Workload workload, int ops, byte[] payload) {
    // Client i prefers node i mod n, as the etcd clients do, so both spread clients alike.
    List<Endpoint> rotated = new ArrayList<>();
    for (int k = 0; k < endpoints.size(); k++) {
      rotated.add(endpoints.get((index + k) % endpoints.size()));
    }
    ClusterClient client = sessions ? new ClusterClient(rotated, timeout)
        : ClusterClient.withoutSessions(rotated, timeout, TlsChannels.plaintext());
    ByteString bytes = ByteString.copyFrom(payload);
    EnqueueRequest enqueue = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPayload(bytes).build();
    String worker = "rrbench-" + index;
    ClaimRequest claim = ClaimRequest.newBuilder().setWorkerId(worker).setMaxItems(1).build();
    try {
      return switch (workload) {
        case ENQUEUE -> new Ops(client, n -> client.enqueue(enqueue));
        case CLAIM_COMPLETE -> {
          prefill(client, enqueue, ops);
          yield new Ops(client, n -> {
            WorkItem item = claimOne(client, claim);
            client.complete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()).build());
          });
        }
        case MIXED -> new Ops(client, n -> {
          client.enqueue(enqueue);
          WorkItem item = claimOne(client, claim);
          WorkItem extended = client.extend(ExtendRequest.newBuilder().setItemId(item.getId())
              .setToken(item.getLease()).build());
          client.complete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(extended.getLease()).build());
        });
        case READ -> {
          String id = client.enqueue(enqueue).getItem().getId();
          yield new Ops(client, n -> client.getItem(id));
        }
      };
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static void prefill(ClusterClient client, EnqueueRequest enqueue, int count) {
    for (int done = 0; done < count; done += PREFILL_BATCH) {
      EnqueueBatchRequest.Builder batch = EnqueueBatchRequest.newBuilder();
      for (int k = 0; k < Math.min(PREFILL_BATCH, count - done); k++) {
        batch.addItems(enqueue);
      }
      client.enqueueBatch(batch.build());
    }
  }

  private static WorkItem claimOne(ClusterClient client, ClaimRequest claim) {
    ClaimResult result = client.claim(claim);
    if (result.getItemsCount() != 1) {
      throw new IllegalStateException("claim returned " + result.getItemsCount() + " items");
    }
    return result.getItems(0);
  }

  @Override
  public void close() {}

  private interface Op {
    void run(long n);
  }

  private record Ops(ClusterClient client, Op op) implements Session {
    @Override
    public void op(long n) {
      op.run(n);
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
