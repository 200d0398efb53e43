package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.node.guard.EdgeChecks;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.ListDaemonDesiredResult;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RestartDaemonRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;

/** Daemons: this node's running daemons (list, restart) and the replicated desired state (list, set). */
public final class DaemonAdmin implements AdminArea {
  private final String nodeId;
  private final DaemonManager daemons;
  private final AdminCalls calls;

  public DaemonAdmin(String nodeId, DaemonManager daemons, AdminCalls calls) {
    this.nodeId = nodeId;
    this.daemons = daemons;
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getListDaemonsMethod(), asyncUnaryCall(this::listDaemons))
        .addMethod(AdminServiceGrpc.getRestartDaemonMethod(), asyncUnaryCall(this::restartDaemon))
        .addMethod(AdminServiceGrpc.getListDaemonDesiredMethod(), asyncUnaryCall(this::listDaemonDesired))
        .addMethod(AdminServiceGrpc.getSetDaemonDesiredMethod(), asyncUnaryCall(this::setDaemonDesired));
  }

  public void listDaemons(ListDaemonsRequest request, StreamObserver<ListDaemonsResult> response) {
    ListDaemonsResult.Builder result = ListDaemonsResult.newBuilder().setNodeId(nodeId);
    daemons.list().forEach(d -> result.addDaemons(info(d)));
    response.onNext(result.build());
    response.onCompleted();
  }

  public void restartDaemon(RestartDaemonRequest request, StreamObserver<DaemonInfo> response) {
    if (!AdminCalls.edgeCheck(response, () -> EdgeChecks.text("name", request.getName(), EdgeChecks.MAX_NAME, true))) {
      return;
    }
    if (!daemons.restart(request.getName())) {
      response.onError(Rejections.toStatus(ErrorKind.NOT_FOUND, "name: no daemon '" + request.getName()
          + "' on node " + nodeId));
      return;
    }
    response.onNext(info(daemons.status(request.getName()).orElseThrow()));
    response.onCompleted();
  }

  public void listDaemonDesired(ListDaemonDesiredRequest request, StreamObserver<ListDaemonDesiredResult> response) {
    calls.read(response, Query.newBuilder().setListDaemons(request), QueryResult::getListDaemons);
  }

  public void setDaemonDesired(SetDaemonDesiredRequest request, StreamObserver<DaemonDesired> response) {
    calls.write(response, Command.newBuilder().setSetDaemonDesired(request), CommandResult::getDaemon);
  }

  private static DaemonInfo info(DaemonStatus d) {
    return DaemonInfo.newBuilder().setName(d.name()).setScope(d.scope().name()).setState(d.state().name())
        .setRestarts(d.restarts()).setRestartsLastHour(d.restartsLastHour()).setLastError(d.lastError())
        .setLeaderTerm(d.leaderTerm()).setDesiredEnabled(d.desiredEnabled()).build();
  }
}
