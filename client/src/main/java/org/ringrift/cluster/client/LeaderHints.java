package org.ringrift.cluster.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Who leads, as the nodes say it: every admin reply carries the leader's id and admin address in
 * its headers (or trailers, for an error), and the client sends its next calls straight there.
 * A hint is only a hint: a call that finds no leader there moves on like any other.
 */
public final class LeaderHints implements ClientInterceptor {
  /** The leader's node id as the answering node knows it; empty while it knows none. */
  public static final Metadata.Key<String> LEADER_ID =
      Metadata.Key.of("rr-leader-id", Metadata.ASCII_STRING_MARSHALLER);
  /** The leader's admin gRPC address (host:port), when the answering node knows it. */
  public static final Metadata.Key<String> LEADER_ADDRESS =
      Metadata.Key.of("rr-leader-address", Metadata.ASCII_STRING_MARSHALLER);

  /** A leader as a reply named it. */
  public record Hint(String leaderId, Endpoint endpoint) {}

  private final AtomicReference<Hint> latest = new AtomicReference<>();

  public Optional<Hint> latest() {
    return Optional.ofNullable(latest.get());
  }

  /** Forgets the hint if it still names {@code endpoint} (a call there found no leader). */
  void forget(Endpoint endpoint) {
    Hint hint = latest.get();
    if (hint != null && hint.endpoint().equals(endpoint)) {
      latest.compareAndSet(hint, null);
    }
  }

  private void record(Metadata metadata) {
    if (metadata == null) {
      return;
    }
    String id = metadata.get(LEADER_ID);
    String address = metadata.get(LEADER_ADDRESS);
    if (id == null || id.isEmpty() || address == null || address.isEmpty()) {
      return;
    }
    try {
      Hint hint = new Hint(id, Endpoint.parse(address));
      if (!hint.equals(latest.get())) {
        latest.set(hint);
      }
    } catch (IllegalArgumentException malformed) {
      // A node with a bad advertised address must not break the client: the hint is ignored.
    }
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata metadata) {
            record(metadata);
            super.onHeaders(metadata);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            record(trailers);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }
}
