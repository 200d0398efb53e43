package org.ringrift.cluster.contract.errors;

import io.grpc.Status;

/**
 * The kinds of failure a caller can act on, each with one gRPC status and one rrctl exit code.
 * This table is the only place where the three are mapped onto each other.
 */
public enum ErrorKind {
  ERROR(Status.Code.INTERNAL, 1),
  /** Bad input, whether the client or the cluster found it: the same exit code as a bad flag (2). */
  INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT, 2),
  UNAVAILABLE(Status.Code.UNAVAILABLE, 3),
  NOT_FOUND(Status.Code.NOT_FOUND, 4),
  STALE_TOKEN(Status.Code.FAILED_PRECONDITION, 5),
  FENCED(Status.Code.FAILED_PRECONDITION, 5),
  FAILED_PRECONDITION(Status.Code.FAILED_PRECONDITION, 5),
  BACKPRESSURE(Status.Code.RESOURCE_EXHAUSTED, 5),
  /** The client session named by a write is unknown to the cluster (expired, evicted, closed): open a new one. */
  SESSION_EXPIRED(Status.Code.FAILED_PRECONDITION, 5),
  /** The caller's certificate role may not make this call, or the item is not leased to it. */
  PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, 6);

  private final Status.Code grpcCode;
  private final int exitCode;

  ErrorKind(Status.Code grpcCode, int exitCode) {
    this.grpcCode = grpcCode;
    this.exitCode = exitCode;
  }

  public Status.Code grpcCode() {
    return grpcCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The kind a gRPC status stands for, refined by the reject code the server sent with it. */
  public static ErrorKind of(Status.Code code, String rejectCode) {
    if (rejectCode != null) {
      for (ErrorKind kind : values()) {
        if (kind.name().equals(rejectCode)) {
          return kind;
        }
      }
    }
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID_ARGUMENT;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
      case NOT_FOUND -> NOT_FOUND;
      case FAILED_PRECONDITION, ABORTED -> FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> BACKPRESSURE;
      case PERMISSION_DENIED, UNAUTHENTICATED -> PERMISSION_DENIED;
      default -> ERROR;
    };
  }
}
