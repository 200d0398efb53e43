package org.ringrift.cluster.node.guard;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who is calling, for per-caller limits. Today the remote address (host only: a client's port
 * changes with every connection); an authenticated identity can replace it without touching the
 * limiter.
 */
@FunctionalInterface
public interface CallerKey {
  String of(Attributes transport, Metadata headers);

  /** The caller's IP address, or "unknown" when the transport has none (in-process). */
  static CallerKey remoteAddress() {
    return (transport, headers) -> {
      SocketAddress remote = transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
        return inet.getAddress().getHostAddress();
      }
      return "unknown";
    };
  }
}
