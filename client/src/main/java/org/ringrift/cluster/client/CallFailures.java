package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.contract.Endpoint;

import io.grpc.StatusRuntimeException;

/** A failed gRPC call as a {@link ClusterException}: its kind, and a message naming the node when it is about reaching it. */
final class CallFailures {
  private CallFailures() {}

  static ClusterException translate(StatusRuntimeException e, Endpoint endpoint) {
    if (answeredInHttp1(e)) {
      // Typically a node's HTTP port (/status, /metrics) given where its admin port belongs.
      return new ClusterException(ErrorKind.UNAVAILABLE, endpoint + " answered in HTTP/1, not gRPC: it is not "
          + "an admin port (give rrnode's --admin-port, e.g. 9770 on the dev cluster, whose 8770 is the HTTP port)", e);
    }
    String rejectCode = e.getTrailers() == null ? null : e.getTrailers().get(Rejections.REJECT_CODE);
    ErrorKind kind = ErrorKind.of(e.getStatus().getCode(), rejectCode);
    String description = e.getStatus().getDescription();
    String message = kind == ErrorKind.UNAVAILABLE
        ? endpoint + ": " + e.getStatus().getCode() + (description == null ? "" : " " + description)
        : description == null ? e.getStatus().getCode().toString() : description;
    return new ClusterException(kind, message, e);
  }

  /** gRPC's "http2 exception" for a peer whose first bytes were an HTTP/1 response ("HTTP/" is 485454502f). */
  private static boolean answeredInHttp1(StatusRuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && (message.contains("485454502f") || message.contains("HTTP/1."))) {
        return true;
      }
    }
    return false;
  }
}
