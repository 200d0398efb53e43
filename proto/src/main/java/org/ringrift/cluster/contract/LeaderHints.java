package org.ringrift.cluster.contract;

import io.grpc.Metadata;
import java.util.Optional;

/**
 * Who leads, as the nodes say it: every admin reply carries the leader's id and admin address in
 * its headers (or trailers, for an error). These are the two headers; the server writes them, the
 * client follows them.
 */
public final class LeaderHints {
  /** The leader's node id as the answering node knows it; empty while it knows none. */
  public static final Metadata.Key<String> LEADER_ID =
      Metadata.Key.of("rr-leader-id", Metadata.ASCII_STRING_MARSHALLER);
  /** The leader's admin gRPC address (host:port), when the answering node knows it. */
  public static final Metadata.Key<String> LEADER_ADDRESS =
      Metadata.Key.of("rr-leader-address", Metadata.ASCII_STRING_MARSHALLER);

  /** A leader as a reply named it. */
  public record Hint(String leaderId, Endpoint endpoint) {}

  private LeaderHints() {}

  /** The hint in {@code metadata}; empty when it names no leader or a malformed address. */
  public static Optional<Hint> read(Metadata metadata) {
    if (metadata == null) {
      return Optional.empty();
    }
    String id = metadata.get(LEADER_ID);
    String address = metadata.get(LEADER_ADDRESS);
    if (id == null || id.isEmpty() || address == null || address.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Hint(id, Endpoint.parse(address)));
    } catch (IllegalArgumentException malformed) {
      // A node with a bad advertised address must not break the client: the hint is ignored.
      return Optional.empty();
    }
  }

  public static void write(Metadata metadata, Hint hint) {
    metadata.put(LEADER_ID, hint.leaderId());
    metadata.put(LEADER_ADDRESS, hint.endpoint().toString());
  }
}
