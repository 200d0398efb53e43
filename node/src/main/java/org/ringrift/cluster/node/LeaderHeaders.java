package org.ringrift.cluster.node;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.ringrift.cluster.contract.LeaderHints;

/**
 * Names the leader (id and admin address) on every admin reply, in its headers or, for an answer
 * that is only an error, its trailers: clients send their next writes and reads straight there.
 * Addresses come from the node registry (each node's heartbeat reports its admin endpoint), looked
 * up again only when the leader is one this node has no address for, at most once a second.
 */
final class LeaderHeaders implements ServerInterceptor {
  private static final long REFRESH_INTERVAL_NANOS = 1_000_000_000L;

  private final Supplier<String> leaderId;
  private final Supplier<Map<String, String>> registryAddresses;
  private volatile Map<String, String> addresses;
  private volatile long refreshedNanos;

  /**
   * @param leaderId the leader this node knows, empty when none
   * @param registryAddresses node id -> admin address from this node's applied registry
   */
  LeaderHeaders(Supplier<String> leaderId, String selfId, String selfAddress,
      Supplier<Map<String, String>> registryAddresses) {
    this.leaderId = leaderId;
    this.registryAddresses = registryAddresses;
    this.addresses = Map.of(selfId, selfAddress);
    this.refreshedNanos = System.nanoTime() - REFRESH_INTERVAL_NANOS;
  }

  /** The leader's id and admin address, when this node knows both. */
  Optional<LeaderHints.Hint> leader() {
    String id = leaderId.get();
    if (id.isEmpty()) {
      return Optional.empty();
    }
    String address = addresses.get(id);
    if (address == null && System.nanoTime() - refreshedNanos >= REFRESH_INTERVAL_NANOS) {
      refreshedNanos = System.nanoTime();
      Map<String, String> merged = new java.util.HashMap<>(registryAddresses.get());
      merged.putAll(addresses);
      addresses = Map.copyOf(merged);
      address = addresses.get(id);
    }
    if (address == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LeaderHints.Hint(id, org.ringrift.cluster.contract.Endpoint.parse(address)));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      private boolean named;

      @Override
      public void sendHeaders(Metadata responseHeaders) {
        named = name(responseHeaders);
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!named) {
          name(trailers);
        }
        super.close(status, trailers);
      }
    }, headers);
  }

  private boolean name(Metadata metadata) {
    Optional<LeaderHints.Hint> leader = leader();
    leader.ifPresent(hint -> {
      metadata.put(LeaderHints.LEADER_ID, hint.leaderId());
      metadata.put(LeaderHints.LEADER_ADDRESS, hint.endpoint().toString());
    });
    return leader.isPresent();
  }
}
