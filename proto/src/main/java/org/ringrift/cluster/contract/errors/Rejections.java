package org.ringrift.cluster.contract.errors;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;

/**
 * How a state-machine rejection travels over gRPC: a status, a message and a reject-code header.
 * The one mapping between reject codes, error kinds and gRPC statuses; the server and the client both use it.
 */
public final class Rejections {
  public static final Metadata.Key<String> REJECT_CODE =
      Metadata.Key.of("rr-reject-code", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Marks an error a node returned without proposing anything, so that the client may send even
   * a write that must not apply twice to another node.
   */
  public static final Metadata.Key<String> NOT_PROPOSED =
      Metadata.Key.of("rr-not-proposed", Metadata.ASCII_STRING_MARSHALLER);

  private Rejections() {}

  public static ErrorKind kind(RejectCode code) {
    return switch (code) {
      case REJECT_INVALID_ARGUMENT -> ErrorKind.INVALID_ARGUMENT;
      case REJECT_NOT_FOUND -> ErrorKind.NOT_FOUND;
      case REJECT_STALE_TOKEN -> ErrorKind.STALE_TOKEN;
      case REJECT_FENCED -> ErrorKind.FENCED;
      case REJECT_FAILED_PRECONDITION -> ErrorKind.FAILED_PRECONDITION;
      case REJECT_BACKPRESSURE -> ErrorKind.BACKPRESSURE;
      case REJECT_SESSION_EXPIRED -> ErrorKind.SESSION_EXPIRED;
      case REJECT_CODE_UNSPECIFIED, UNRECOGNIZED -> ErrorKind.ERROR;
    };
  }

  /**
   * The state machine's verdict behind an error kind (the inverse of {@link #kind}), or empty when
   * the kind is no verdict (unavailable, internal error, permission denied).
   */
  public static Optional<RejectCode> code(ErrorKind kind) {
    for (RejectCode code : RejectCode.values()) {
      if (code != RejectCode.UNRECOGNIZED && code != RejectCode.REJECT_CODE_UNSPECIFIED && kind(code) == kind) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  public static StatusRuntimeException toStatus(Rejection rejection) {
    return toStatus(kind(rejection.getCode()), describe(rejection));
  }

  public static StatusRuntimeException toStatus(ErrorKind kind, String message) {
    Metadata trailers = new Metadata();
    trailers.put(REJECT_CODE, kind.name());
    return Status.fromCode(kind.grpcCode()).withDescription(message).asRuntimeException(trailers);
  }

  /** An error of this node that proposed nothing: another node may be asked. */
  public static StatusRuntimeException notProposed(ErrorKind kind, String message) {
    Metadata trailers = new Metadata();
    trailers.put(REJECT_CODE, kind.name());
    trailers.put(NOT_PROPOSED, "true");
    return Status.fromCode(kind.grpcCode()).withDescription(message).asRuntimeException(trailers);
  }

  public static String describe(Rejection rejection) {
    return rejection.getField().isEmpty() ? rejection.getMessage() : rejection.getField() + ": " + rejection.getMessage();
  }
}
