package org.ringrift.cluster.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import org.ringrift.cluster.contract.errors.Rejections;

/**
 * Whether a failed call may be sent again to another node. A write that reached a node may
 * still be applied after its caller saw an error: the node's Raft client keeps retrying it. A
 * copy sent to a second node is a second Raft request that no retry cache links to the first,
 * so it can be applied twice (chaos bug 5). Like etcd's client, a write therefore moves on only
 * when the error proves that no node received it.
 */
enum Delivery {
  /** Reads, and writes the state machine deduplicates (keyed enqueues): any unavailability moves on. */
  REPEATABLE,
  /** Other writes: move on only when the call never left this client. */
  AT_MOST_ONCE;

  /** True when another endpoint may be tried after {@code error} (already known to be UNAVAILABLE). */
  boolean mayMoveOn(StatusRuntimeException error) {
    return this == REPEATABLE || neverSent(error);
  }

  /**
   * A call fails before it is sent when its channel cannot connect: grpc-java then fails it with
   * UNAVAILABLE and the connect error as cause. A node also says so when it refused a call without
   * proposing it ({@link Rejections#NOT_PROPOSED}). Every other failure (a reset or closed
   * stream, a deadline, an UNAVAILABLE answer from the node) may follow delivery.
   */
  static boolean neverSent(StatusRuntimeException error) {
    if (error.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    if (error.getTrailers() != null && "true".equals(error.getTrailers().get(Rejections.NOT_PROPOSED))) {
      return true;
    }
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof UnknownHostException
          || cause instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }
}
