package org.ringrift.cluster.bench.load;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.bench.etcd.proto.Compare;
import org.ringrift.cluster.bench.etcd.proto.DeleteRangeRequest;
import org.ringrift.cluster.bench.etcd.proto.KVGrpc;
import org.ringrift.cluster.bench.etcd.proto.PutRequest;
import org.ringrift.cluster.bench.etcd.proto.RangeRequest;
import org.ringrift.cluster.bench.etcd.proto.RequestOp;
import org.ringrift.cluster.bench.etcd.proto.TxnRequest;
import org.ringrift.cluster.bench.etcd.proto.TxnResponse;
import org.ringrift.cluster.contract.Endpoint;

/**
 * etcd, driven over its own gRPC API with the same grpc-java stack as the RingRift client.
 * Enqueue is a put; claim and complete are compare-revision txns on one key (claim: the key
 * still has the revision it was written with, then mark it claimed; complete: it still has the
 * claim's revision, then delete it), so a claim-complete is two durable writes on both systems.
 */
final class EtcdTarget implements Target {
  private static final ByteString CLAIMED = ByteString.copyFromUtf8("claimed");
  private static final ByteString EXTENDED = ByteString.copyFromUtf8("extended");

  private final List<Endpoint> endpoints;
  private final Duration timeout;
  /** Keys of each run start with their own prefix, so runs never see each other's keys. */
  private final String prefix = "rrbench/" + System.nanoTime() + "/";
  private long sessions;

  EtcdTarget(List<Endpoint> endpoints, Duration timeout) {
    this.endpoints = List.copyOf(endpoints);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public Session session(int index, Workload workload, int ops, byte[] payload) {
    Endpoint endpoint = endpoints.get(index % endpoints.size());
    ManagedChannel channel = ManagedChannelBuilder.forAddress(endpoint.host(), endpoint.port()).usePlaintext().build();
    Kv kv = new Kv(channel, timeout);
    String keys = prefix + nextSession() + "/";
    ByteString value = ByteString.copyFrom(payload);
    return switch (workload) {
      case ENQUEUE -> new Ops(channel, n -> kv.put(key(keys, n), value));
      case CLAIM_COMPLETE -> {
        long[] revisions = new long[ops];
        for (int n = 0; n < ops; n++) {
          revisions[n] = kv.put(key(keys, n), value);
        }
        yield new Ops(channel, n -> {
          ByteString key = key(keys, n);
          long claimed = kv.swap(key, revisions[(int) n], CLAIMED);
          kv.delete(key, claimed);
        });
      }
      case MIXED -> new Ops(channel, n -> {
        ByteString key = key(keys, n);
        long written = kv.put(key, value);
        long claimed = kv.swap(key, written, CLAIMED);
        long extended = kv.swap(key, claimed, EXTENDED);
        kv.delete(key, extended);
      });
      case READ -> {
        ByteString key = key(keys, 0);
        kv.put(key, value);
        yield new Ops(channel, n -> kv.get(key));
      }
    };
  }

  private synchronized long nextSession() {
    return sessions++;
  }

  private static ByteString key(String keys, long n) {
    return ByteString.copyFrom(keys + n, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {}

  /** The four KV calls the workloads make; each returns the revision it wrote. */
  private record Kv(ManagedChannel channel, Duration timeout) {
    private KVGrpc.KVBlockingStub stub() {
      return KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long put(ByteString key, ByteString value) {
      return stub().put(PutRequest.newBuilder().setKey(key).setValue(value).build()).getHeader().getRevision();
    }

    long swap(ByteString key, long revision, ByteString value) {
      return txn(key, revision, RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)).build());
    }

    void delete(ByteString key, long revision) {
      txn(key, revision, RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build());
    }

    void get(ByteString key) {
      if (stub().range(RangeRequest.newBuilder().setKey(key).build()).getKvsCount() != 1) {
        throw new IllegalStateException("linearizable get found no value");
      }
    }

    private long txn(ByteString key, long revision, RequestOp then) {
      TxnResponse response = stub().txn(TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL).setModRevision(revision))
          .addSuccess(then).build());
      if (!response.getSucceeded()) {
        throw new IllegalStateException("compare-revision txn failed: key moved past revision " + revision);
      }
      return response.getHeader().getRevision();
    }
  }

  private interface Op {
    void run(long n);
  }

  private record Ops(ManagedChannel channel, Op op) implements Session {
    @Override
    public void op(long n) {
      op.run(n);
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }
}
