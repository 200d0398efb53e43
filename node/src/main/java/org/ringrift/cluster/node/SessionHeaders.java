package org.ringrift.cluster.node;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import org.ringrift.cluster.proto.SessionRef;

/**
 * Reads a write's client session from its headers ({@code rr-session-id}, {@code rr-session-seq},
 * {@code rr-session-acked-below}) into the call's context, where the admin service puts it on
 * the command. Headers that are present but not numbers are refused here, naming the header.
 */
final class SessionHeaders implements ServerInterceptor {
  static final Metadata.Key<String> SESSION_ID = Metadata.Key.of("rr-session-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SEQ = Metadata.Key.of("rr-session-seq", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> ACKED_BELOW =
      Metadata.Key.of("rr-session-acked-below", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<SessionRef> SESSION = Context.key("rr-session");

  /** The session of the call being served, if its headers named one. */
  static Optional<SessionRef> current() {
    return Optional.ofNullable(SESSION.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String id = headers.get(SESSION_ID);
    if (id == null) {
      return next.startCall(call, headers);
    }
    SessionRef session;
    try {
      session = SessionRef.newBuilder()
          .setSessionId(number(SESSION_ID, id))
          .setSeq(number(SEQ, headers.get(SEQ)))
          .setAckedBelow(number(ACKED_BELOW, headers.get(ACKED_BELOW)))
          .build();
    } catch (IllegalArgumentException bad) {
      call.close(Status.INVALID_ARGUMENT.withDescription(bad.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(SESSION, session), call, headers, next);
  }

  private static long number(Metadata.Key<String> key, String value) {
    if (value == null) {
      throw new IllegalArgumentException(key.name() + ": is required with " + SESSION_ID.name());
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key.name() + ": '" + value + "' is not a number");
    }
  }
}
