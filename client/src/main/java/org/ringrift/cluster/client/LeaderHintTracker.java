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
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.LeaderHints;
import org.ringrift.cluster.contract.LeaderHints.Hint;

/**
 * Keeps the latest leader hint the replies carried ({@link LeaderHints}), so that the client sends
 * its next calls straight there. A hint is only a hint: a call that finds no leader there moves on
 * like any other.
 */
final class LeaderHintTracker implements ClientInterceptor {
  private final AtomicReference<Hint> latest = new AtomicReference<>();

  Optional<Hint> latest() {
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
    LeaderHints.read(metadata).ifPresent(hint -> {
      if (!hint.equals(latest.get())) {
        latest.set(hint);
      }
    });
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
