package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.AnnotateItemRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.GetItemResult;
import org.ringrift.cluster.proto.ItemResult;
import org.ringrift.cluster.proto.ItemsResult;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.SetPriorityRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.statemachine.Rejections.RejectedException;

/**
 * The work queue: enqueue, the lease calls (claim, extend, start, complete, fail, release), cancel,
 * redrive, annotate, priority, reads.
 */
public final class QueueAdmin implements AdminArea {
  private final AdminCalls calls;

  public QueueAdmin(AdminCalls calls) {
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getEnqueueMethod(), asyncUnaryCall(this::enqueue))
        .addMethod(AdminServiceGrpc.getEnqueueBatchMethod(), asyncUnaryCall(this::enqueueBatch))
        .addMethod(AdminServiceGrpc.getClaimMethod(), asyncUnaryCall(this::claim))
        .addMethod(AdminServiceGrpc.getExtendMethod(), asyncUnaryCall(this::extend))
        .addMethod(AdminServiceGrpc.getStartMethod(), asyncUnaryCall(this::start))
        .addMethod(AdminServiceGrpc.getCompleteMethod(), asyncUnaryCall(this::complete))
        .addMethod(AdminServiceGrpc.getFailMethod(), asyncUnaryCall(this::fail))
        .addMethod(AdminServiceGrpc.getReleaseMethod(), asyncUnaryCall(this::release))
        .addMethod(AdminServiceGrpc.getCancelMethod(), asyncUnaryCall(this::cancel))
        .addMethod(AdminServiceGrpc.getRedriveMethod(), asyncUnaryCall(this::redrive))
        .addMethod(AdminServiceGrpc.getAnnotateItemMethod(), asyncUnaryCall(this::annotateItem))
        .addMethod(AdminServiceGrpc.getSetPriorityMethod(), asyncUnaryCall(this::setPriority))
        .addMethod(AdminServiceGrpc.getGetItemMethod(), asyncUnaryCall(this::getItem))
        .addMethod(AdminServiceGrpc.getListItemsMethod(), asyncUnaryCall(this::listItems))
        .addMethod(AdminServiceGrpc.getGetQueueStatsMethod(), asyncUnaryCall(this::getQueueStats));
  }

  public void enqueue(EnqueueRequest request, StreamObserver<EnqueueResult> response) {
    calls.write(response, Command.newBuilder().setEnqueue(request), CommandResult::getEnqueue);
  }

  public void enqueueBatch(EnqueueBatchRequest request, StreamObserver<EnqueueBatchResult> response) {
    calls.write(response, Command.newBuilder().setEnqueueBatch(request), CommandResult::getEnqueueBatch);
  }

  public void claim(ClaimRequest request, StreamObserver<ClaimResult> response) {
    calls.write(response, Command.newBuilder().setClaim(request), CommandResult::getClaim);
  }

  public void extend(ExtendRequest request, StreamObserver<ItemResult> response) {
    calls.write(response, Command.newBuilder().setExtend(request), CommandResult::getItem);
  }

  public void start(StartRequest request, StreamObserver<ItemResult> response) {
    calls.write(response, Command.newBuilder().setStart(request), CommandResult::getItem);
  }

  public void complete(CompleteRequest request, StreamObserver<ItemResult> response) {
    calls.write(response, Command.newBuilder().setComplete(request), CommandResult::getItem);
  }

  public void fail(FailRequest request, StreamObserver<ItemResult> response) {
    calls.write(response, Command.newBuilder().setFail(request), CommandResult::getItem);
  }

  public void release(ReleaseRequest request, StreamObserver<ItemResult> response) {
    calls.write(response, Command.newBuilder().setRelease(request), CommandResult::getItem);
  }

  public void cancel(CancelRequest request, StreamObserver<ItemResult> response) {
    calls.write(response, Command.newBuilder().setCancel(request), CommandResult::getItem);
  }

  public void redrive(RedriveRequest request, StreamObserver<ItemsResult> response) {
    calls.write(response, Command.newBuilder().setRedrive(request), CommandResult::getItems);
  }

  /** Feature level 2: an operator's note on an item. */
  public void annotateItem(AnnotateItemRequest request, StreamObserver<ItemResult> response) {
    writeAtLevel("annotate", Command.newBuilder().setAnnotateItem(request), response);
  }

  /** Feature level 3: a pending item's priority, so its place in claim order. */
  public void setPriority(SetPriorityRequest request, StreamObserver<ItemResult> response) {
    writeAtLevel("priority", Command.newBuilder().setSetPriority(request), response);
  }

  /**
   * A command above the base feature level: refused here, naming its level (its handler's), while
   * the cluster is below it, so an operator reads what to do; apply decides anyway.
   */
  private void writeAtLevel(String name, Command.Builder command, StreamObserver<ItemResult> response) {
    try {
      calls.checks().check(command.build());
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    if (calls.refusesWrites(response)) {
      return;
    }
    int needed = calls.checks().featureLevel(command.build());
    AdminCalls.reply(response, calls.replicated().read(FeatureLevelAdmin.FEATURE_LEVEL).thenCompose(level -> {
      int current = level.getFeatureLevel().getLevel();
      if (current < needed) {
        throw Rejections.notProposed(ErrorKind.FAILED_PRECONDITION, "feature_level: " + name + " needs feature level "
            + needed + " but the cluster is at feature level " + current + "; once every node runs a binary that "
            + "supports it, raise it with rrctl cluster upgrade --to " + needed);
      }
      return calls.replicated().submit(calls.withSession(command));
    }), AdminCalls.accepted(CommandResult::getItem));
  }

  public void getItem(GetItemRequest request, StreamObserver<GetItemResult> response) {
    calls.read(response, Query.newBuilder().setGetItem(request), QueryResult::getGetItem);
  }

  public void listItems(ListItemsRequest request, StreamObserver<ListItemsResult> response) {
    calls.read(response, Query.newBuilder().setListItems(request), QueryResult::getListItems);
  }

  public void getQueueStats(QueueStatsRequest request, StreamObserver<QueueStats> response) {
    calls.read(response, Query.newBuilder().setQueueStats(request), QueryResult::getQueueStats);
  }
}
