package org.ringrift.cluster.bench.load;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.bench.etcd.proto.KVGrpc;
import org.ringrift.cluster.bench.etcd.proto.KeyValue;
import org.ringrift.cluster.bench.etcd.proto.PutRequest;
import org.ringrift.cluster.bench.etcd.proto.RangeRequest;
import org.ringrift.cluster.bench.etcd.proto.StatusResponse;
import org.ringrift.cluster.contract.Endpoint;

/**
 * Failover of the etcd baseline: kill -9 of etcd members. etcd has no leader daemons and no
 * separate "ready" step (a new etcd leader serves once elected), so those columns stay empty.
 */
final class EtcdFailover implements FailoverCluster {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String PREFIX = "failover/";
  /** The read-back of every acknowledged key comes in one response. */
  private static final int MAX_INBOUND_BYTES = 256 << 20;

  private final EtcdProcesses members;
  private final Duration timeout;
  private final ByteString payload;

  EtcdFailover(EtcdProcesses members, Duration timeout, byte[] payload) {
    this.members = members;
    this.timeout = timeout;
    this.payload = ByteString.copyFrom(payload);
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public int size() {
    return members.size();
  }

  @Override
  public boolean isRunning(int member) {
    return members.isRunning(member);
  }

  @Override
  public Leader awaitLeader() throws InterruptedException {
    int leader = members.awaitLeader(LIMIT);
    return new Leader(leader, members.status(leader).map(StatusResponse::getRaftTerm).orElse(0L));
  }

  @Override
  public Optional<Integer> newLeader(int killed, long oldTerm) {
    for (int i = 0; i < members.size(); i++) {
      if (i != killed && members.isRunning(i)) {
        Optional<StatusResponse> status = members.status(i);
        if (status.isPresent() && status.get().getLeader() == status.get().getHeader().getMemberId()
            && status.get().getRaftTerm() > oldTerm) {
          return Optional.of(i);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean ready(int member, long oldTerm) {
    return true;
  }

  @Override
  public Optional<Boolean> leaderDaemonsRunning(int member, long oldTerm) {
    return Optional.empty();
  }

  @Override
  public boolean steady(int leader, long term) {
    for (int i = 0; i < members.size(); i++) {
      Optional<StatusResponse> status = members.status(i);
      if (status.isEmpty() || status.get().getRaftTerm() != term || status.get().getLeader() == 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Writer writer(int index) {
    Endpoint endpoint = members.endpoint(index % members.size());
    // Like jetcd, a writer whose member died moves on to the next one.
    ManagedChannel[] channels = new ManagedChannel[members.size()];
    for (int k = 0; k < channels.length; k++) {
      Endpoint e = members.endpoint((index + k) % members.size());
      channels[k] = ManagedChannelBuilder.forAddress(e.host(), e.port()).usePlaintext().build();
    }
    return new Writer() {
      private int preferred;

      @Override
      public String write(long n) {
        String key = PREFIX + index + "/" + n;
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        for (int k = 0; k < channels.length && System.nanoTime() < deadline; k++) {
          int c = (preferred + k) % channels.length;
          try {
            KVGrpc.newBlockingStub(channels[c]).withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                .put(PutRequest.newBuilder().setKey(ByteString.copyFrom(key, StandardCharsets.UTF_8)).setValue(payload).build());
            preferred = c;
            return key;
          } catch (io.grpc.StatusRuntimeException e) {
            last = e;
          }
        }
        throw last != null ? last : new IllegalStateException("deadline expired before any member answered " + endpoint);
      }

      @Override
      public boolean outcomeUnknown(RuntimeException failure) {
        if (!(failure instanceof io.grpc.StatusRuntimeException e)) {
          return true;
        }
        return switch (e.getStatus().getCode()) {
          case INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED, OUT_OF_RANGE,
              ALREADY_EXISTS, NOT_FOUND -> false;
          default -> true;
        };
      }

      @Override
      public void close() {
        for (ManagedChannel channel : channels) {
          channel.shutdownNow();
        }
      }
    };
  }

  /** A put applied twice to one key leaves that key at version 2: every writer's key is new. */
  @Override
  public Audit audit(Set<String> acknowledged) {
    Set<String> found = new HashSet<>();
    java.util.List<WriteId> twice = new java.util.ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (!members.isRunning(i)) {
        continue;
      }
      Endpoint endpoint = members.endpoint(i);
      ManagedChannel channel = ManagedChannelBuilder.forAddress(endpoint.host(), endpoint.port()).usePlaintext()
          .maxInboundMessageSize(MAX_INBOUND_BYTES).build();
      try {
        ByteString start = ByteString.copyFromUtf8(PREFIX);
        ByteString end = ByteString.copyFromUtf8(PREFIX.substring(0, PREFIX.length() - 1) + (char) ('/' + 1));
        for (KeyValue kv : KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .range(RangeRequest.newBuilder().setKey(start).setRangeEnd(end).setKeysOnly(true).build()).getKvsList()) {
          String key = kv.getKey().toStringUtf8();
          if (acknowledged.contains(key)) {
            found.add(key);
          }
          if (kv.getVersion() > 1) {
            twice.add(WriteId.parse(key));
          }
        }
        return new Audit(found, twice);
      } finally {
        channel.shutdownNow();
      }
    }
    throw new IllegalStateException("no etcd member running to read back from");
  }

  @Override
  public void kill(int member) throws InterruptedException {
    members.kill(member);
  }

  @Override
  public void restart(int member) throws Exception {
    members.restart(member);
  }

  @Override
  public void close() {}
}
