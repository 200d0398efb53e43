package org.ringrift.cluster.node;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.ringrift.cluster.client.ErrorKind;
import org.ringrift.cluster.client.Rejections;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.CompleteResult;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.GetItemResult;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.raft.ReplicatedClient;
import org.ringrift.cluster.statemachine.Rejections.RejectedException;
import org.ringrift.cluster.statemachine.queue.QueueCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API. Requests that fail the stateless checks are refused here and never reach the
 * log; the rest go through Raft (writes) or a linearizable read, from any node.
 */
final class AdminService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);

  private final ReplicatedClient replicated;
  private final QueueCommands checks;
  private final StatusService status;

  AdminService(ReplicatedClient replicated, QueueCommands checks, StatusService status) {
    this.replicated = replicated;
    this.checks = checks;
    this.status = status;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<NodeStatus> response) {
    response.onNext(status.status());
    response.onCompleted();
  }

  @Override
  public void enqueue(EnqueueRequest request, StreamObserver<EnqueueResult> response) {
    write(response, () -> checks.checkEnqueue(request), Command.newBuilder().setEnqueue(request),
        CommandResult::getEnqueue);
  }

  @Override
  public void claim(ClaimRequest request, StreamObserver<ClaimResult> response) {
    write(response, () -> checks.checkClaim(request), Command.newBuilder().setClaim(request), CommandResult::getClaim);
  }

  @Override
  public void complete(CompleteRequest request, StreamObserver<CompleteResult> response) {
    write(response, () -> checks.checkComplete(request), Command.newBuilder().setComplete(request),
        CommandResult::getComplete);
  }

  @Override
  public void getItem(GetItemRequest request, StreamObserver<GetItemResult> response) {
    read(response, Query.newBuilder().setGetItem(request).build(), QueryResult::getGetItem);
  }

  @Override
  public void getQueueStats(QueueStatsRequest request, StreamObserver<QueueStats> response) {
    read(response, Query.newBuilder().setQueueStats(request).build(), QueryResult::getQueueStats);
  }

  @Override
  public void getDigest(DigestRequest request, StreamObserver<DigestResult> response) {
    read(response, Query.newBuilder().setDigest(request).build(), QueryResult::getDigest);
  }

  private <T> void write(StreamObserver<T> response, Runnable check, Command.Builder command,
      Function<CommandResult, T> extract) {
    try {
      check.run();
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    reply(response, replicated.submit(command), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return extract.apply(result);
    });
  }

  private <T> void read(StreamObserver<T> response, Query query, Function<QueryResult, T> extract) {
    reply(response, replicated.read(query), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return extract.apply(result);
    });
  }

  private static <R, T> void reply(StreamObserver<T> response, CompletableFuture<R> future, Function<R, T> extract) {
    future.thenApply(extract).whenComplete((value, error) -> {
      if (error == null) {
        response.onNext(value);
        response.onCompleted();
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof io.grpc.StatusRuntimeException status) {
        response.onError(status);
      } else {
        LOG.debug("replicated call failed: {}", cause.toString());
        response.onError(Rejections.toStatus(ErrorKind.UNAVAILABLE, "cluster unavailable: " + cause.getMessage()));
      }
    });
  }
}
