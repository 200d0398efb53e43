package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.ListNodesResult;
import org.ringrift.cluster.proto.NodeResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;

/** The node registry the heartbeats fill: heartbeat, list, blacklist, unblacklist and drain nodes. */
public final class NodeRegistryAdmin implements AdminArea {
  private final AdminCalls calls;

  public NodeRegistryAdmin(AdminCalls calls) {
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getHeartbeatMethod(), asyncUnaryCall(this::heartbeat))
        .addMethod(AdminServiceGrpc.getListNodesMethod(), asyncUnaryCall(this::listNodes))
        .addMethod(AdminServiceGrpc.getBlacklistNodeMethod(), asyncUnaryCall(this::blacklistNode))
        .addMethod(AdminServiceGrpc.getUnblacklistNodeMethod(), asyncUnaryCall(this::unblacklistNode))
        .addMethod(AdminServiceGrpc.getDrainNodeMethod(), asyncUnaryCall(this::drainNode));
  }

  public void heartbeat(HeartbeatRequest request, StreamObserver<NodeResult> response) {
    calls.write(response, Command.newBuilder().setHeartbeat(request), CommandResult::getNode);
  }

  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResult> response) {
    calls.read(response, Query.newBuilder().setListNodes(request), QueryResult::getListNodes);
  }

  public void blacklistNode(BlacklistNodeRequest request, StreamObserver<NodeResult> response) {
    if (request.getNodeId().isEmpty()) {
      calls.write(response, Command.newBuilder().setBlacklistNode(request), CommandResult::getNode);
      return;
    }
    // A typo must not blacklist a node that does not exist (the state machine would register it).
    // Refused here rather than in the state machine, so that replaying an existing log is unchanged.
    calls.replicated().read(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build())
        .whenComplete((known, error) -> {
          if (error == null && !known.hasRejected() && known.getListNodes().getNodesList().stream()
              .noneMatch(n -> n.getNodeId().equals(request.getNodeId()))) {
            response.onError(Rejections.notProposed(ErrorKind.NOT_FOUND, "node_id: no node " + request.getNodeId()
                + " in the registry (rrctl nodes ls lists the known nodes; a node registers with its first heartbeat)"));
            return;
          }
          calls.write(response, Command.newBuilder().setBlacklistNode(request), CommandResult::getNode);
        });
  }

  public void unblacklistNode(UnblacklistNodeRequest request, StreamObserver<NodeResult> response) {
    calls.write(response, Command.newBuilder().setUnblacklistNode(request), CommandResult::getNode);
  }

  public void drainNode(DrainNodeRequest request, StreamObserver<NodeResult> response) {
    calls.write(response, Command.newBuilder().setDrainNode(request), CommandResult::getNode);
  }
}
