package org.ringrift.cluster.node.admin;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.SessionRef;
import org.ringrift.cluster.raft.RaftCallException;
import org.ringrift.cluster.raft.ReplicatedClient;
import org.ringrift.cluster.statemachine.CommandChecks;
import org.ringrift.cluster.statemachine.Rejections.RejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every admin area shares: propose a command or run a linearizable read and answer the call,
 * refuse writes while this node's disk is under its reserve, put the caller's session on a
 * command, and map failures to the admin API's statuses (in one place).
 */
public final class AdminCalls {
  private static final Logger LOG = LoggerFactory.getLogger(AdminCalls.class);

  private final ReplicatedClient replicated;
  private final CommandChecks checks;
  /** Why this node refuses writes right now (its data disk is under the reserve), if it does. */
  private final Supplier<Optional<String>> writeRefusal;
  /** The client session of the call being served (from its headers), if it named one. */
  private final Supplier<Optional<SessionRef>> session;

  public AdminCalls(ReplicatedClient replicated, CommandChecks checks, Supplier<Optional<String>> writeRefusal,
      Supplier<Optional<SessionRef>> session) {
    this.replicated = replicated;
    this.checks = checks;
    this.writeRefusal = writeRefusal;
    this.session = session;
  }

  ReplicatedClient replicated() {
    return replicated;
  }

  CommandChecks checks() {
    return checks;
  }

  /** Puts the call's client session (from its headers) on the command: apply runs it once. */
  Command.Builder withSession(Command.Builder command) {
    session.get().ifPresent(command::setSession);
    return command;
  }

  /** Answers RESOURCE_EXHAUSTED and returns true while this node refuses writes. */
  boolean refusesWrites(StreamObserver<?> response) {
    Optional<String> refusal = writeRefusal.get();
    refusal.ifPresent(reason -> response.onError(Rejections.toStatus(ErrorKind.BACKPRESSURE, reason)));
    return refusal.isPresent();
  }

  /** Checks the command here (refusals never reach the log), proposes it and answers with its result. */
  <T> void write(StreamObserver<T> response, Command.Builder command, Function<CommandResult, T> extract) {
    if (refusesWrites(response)) {
      return;
    }
    withSession(command);
    if (CommandChecks.isLeaderOnly(command.build())) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "leader-daemon commands are not accepted here"));
      return;
    }
    try {
      checks.check(command.build());
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    reply(response, replicated.submit(command), accepted(extract));
  }

  <T> void read(StreamObserver<T> response, Query.Builder query, Function<QueryResult, T> extract) {
    reply(response, replicated.read(query.build()), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return extract.apply(result);
    });
  }

  /** The command's answer, or its rejection by apply thrown as the admin API's status. */
  static <T> Function<CommandResult, T> accepted(Function<CommandResult, T> extract) {
    return result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return extract.apply(result);
    };
  }

  /** Runs the edge checks; on failure answers the call with their INVALID_ARGUMENT and returns false. */
  static boolean edgeCheck(StreamObserver<?> response, Runnable checks) {
    try {
      checks.run();
      return true;
    } catch (StatusRuntimeException invalid) {
      response.onError(invalid);
      return false;
    }
  }

  static <R, T> void reply(StreamObserver<T> response, CompletableFuture<R> future, Function<R, T> extract) {
    future.thenApply(extract).whenComplete((value, error) -> {
      if (error == null) {
        response.onNext(value);
        response.onCompleted();
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof StatusRuntimeException status) {
        response.onError(status);
      } else if (cause instanceof RaftCallException failed) {
        LOG.debug("raft call failed kind={} error={}", failed.kind(), failed.getMessage());
        response.onError(failed.kind() == RaftCallException.Kind.BACKPRESSURE
            ? Rejections.notProposed(ErrorKind.BACKPRESSURE, failed.getMessage())
            : failed.notProposed()
                ? Rejections.notProposed(ErrorKind.UNAVAILABLE, "cluster unavailable: " + failed.getMessage())
                : Rejections.toStatus(ErrorKind.UNAVAILABLE, "cluster unavailable: " + failed.getMessage()));
      } else {
        LOG.debug("replicated call failed: {}", cause.toString());
        response.onError(Rejections.toStatus(ErrorKind.UNAVAILABLE, "cluster unavailable: " + cause.getMessage()));
      }
    });
  }
}
