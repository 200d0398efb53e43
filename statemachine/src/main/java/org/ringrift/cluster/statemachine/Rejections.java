package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;

/** A command refused deterministically; thrown by handlers, turned into a result by apply. */
public final class Rejections {
  private Rejections() {}

  public static RejectedException invalid(String field, String message) {
    return new RejectedException(RejectCode.REJECT_INVALID_ARGUMENT, field, message);
  }

  public static RejectedException notFound(String field, String message) {
    return new RejectedException(RejectCode.REJECT_NOT_FOUND, field, message);
  }

  public static RejectedException staleToken(String message) {
    return new RejectedException(RejectCode.REJECT_STALE_TOKEN, "token", message);
  }

  public static RejectedException precondition(String field, String message) {
    return new RejectedException(RejectCode.REJECT_FAILED_PRECONDITION, field, message);
  }

  public static RejectedException backpressure(String field, String message) {
    return new RejectedException(RejectCode.REJECT_BACKPRESSURE, field, message);
  }

  /** The command's client session is not open; see REJECT_SESSION_EXPIRED. */
  public static RejectedException sessionExpired(String message) {
    return new RejectedException(RejectCode.REJECT_SESSION_EXPIRED, "session", message);
  }

  public static RejectedException fenced(String message) {
    return new RejectedException(RejectCode.REJECT_FENCED, "expected_term", message);
  }

  /** A rejection as an exception, so handlers can refuse from any depth without writing. */
  public static final class RejectedException extends RuntimeException {
    private final Rejection rejection;

    RejectedException(RejectCode code, String field, String message) {
      super(field + ": " + message, null, false, false);
      this.rejection = Rejection.newBuilder().setCode(code).setField(field).setMessage(message).build();
    }

    public Rejection rejection() {
      return rejection;
    }
  }
}
