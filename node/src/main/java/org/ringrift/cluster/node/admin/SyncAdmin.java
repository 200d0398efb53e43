package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import org.ringrift.cluster.node.sync.SyncTriggers;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncHistoryResult;
import org.ringrift.cluster.proto.SyncTriggerRequest;

/** Dataset sync: trigger a sync (against the registry's nodes) and read the sync history. */
public final class SyncAdmin implements AdminArea {
  private final AdminCalls calls;

  public SyncAdmin(AdminCalls calls) {
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getSyncTriggerMethod(), asyncUnaryCall(this::syncTrigger))
        .addMethod(AdminServiceGrpc.getSyncHistoryMethod(), asyncUnaryCall(this::syncHistory));
  }

  public void syncTrigger(SyncTriggerRequest request, StreamObserver<Event> response) {
    if (calls.refusesWrites(response)) {
      return;
    }
    AdminCalls.reply(response, calls.replicated().read(SyncTriggers.nodesQuery())
        .thenCompose(nodes -> calls.replicated().submit(calls.withSession(SyncTriggers.command(request, nodes)))),
        AdminCalls.accepted(CommandResult::getEvent));
  }

  public void syncHistory(SyncHistoryRequest request, StreamObserver<SyncHistoryResult> response) {
    calls.read(response, Query.newBuilder().setSyncHistory(request), QueryResult::getSyncHistory);
  }
}
