package org.ringrift.cluster.node;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One console API answer: the HTTP status and the JSON body. */
record ConsoleAnswer(int status, Object body) {
  static ConsoleAnswer ok(Object body) {
    return new ConsoleAnswer(200, body);
  }

  static ConsoleAnswer badRequest(String message) {
    return error(400, "INVALID_ARGUMENT", message);
  }

  static ConsoleAnswer error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("code", code);
    return new ConsoleAnswer(status, body);
  }

  /** The cluster's gRPC answer as the page shows it: same code, same text. */
  static ConsoleAnswer of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    Status status = cause instanceof StatusRuntimeException e ? e.getStatus() : Status.fromThrowable(cause);
    String message = status.getDescription() == null ? String.valueOf(cause.getMessage()) : status.getDescription();
    return error(httpStatus(status.getCode()), status.getCode().name(), message);
  }

  private static int httpStatus(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> 503;
      default -> 500;
    };
  }
}
