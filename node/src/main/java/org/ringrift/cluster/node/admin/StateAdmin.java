package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.CloseSessionRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.GetConfigResult;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.LeaderHistoryResult;
import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.OpenSessionRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.SessionResult;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.TakeSnapshotRequest;
import org.ringrift.cluster.proto.TakeSnapshotResult;
import org.ringrift.cluster.raft.RaftNode;

/**
 * This node's status and the replicated state around the queue: digest, snapshot, leader history,
 * replicated config and client sessions.
 */
public final class StateAdmin implements AdminArea {
  private final RaftNode raft;
  /** This node's status, answered locally (no read through Raft). */
  private final Supplier<NodeStatus> status;
  private final AdminCalls calls;

  public StateAdmin(RaftNode raft, Supplier<NodeStatus> status, AdminCalls calls) {
    this.raft = raft;
    this.status = status;
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getStatusMethod(), asyncUnaryCall(this::status))
        .addMethod(AdminServiceGrpc.getGetDigestMethod(), asyncUnaryCall(this::getDigest))
        .addMethod(AdminServiceGrpc.getTakeSnapshotMethod(), asyncUnaryCall(this::takeSnapshot))
        .addMethod(AdminServiceGrpc.getLeaderHistoryMethod(), asyncUnaryCall(this::leaderHistory))
        .addMethod(AdminServiceGrpc.getGetConfigMethod(), asyncUnaryCall(this::getConfig))
        .addMethod(AdminServiceGrpc.getSetConfigMethod(), asyncUnaryCall(this::setConfig))
        .addMethod(AdminServiceGrpc.getOpenSessionMethod(), asyncUnaryCall(this::openSession))
        .addMethod(AdminServiceGrpc.getCloseSessionMethod(), asyncUnaryCall(this::closeSession))
        .addMethod(AdminServiceGrpc.getListSessionsMethod(), asyncUnaryCall(this::listSessions));
  }

  public void status(StatusRequest request, StreamObserver<NodeStatus> response) {
    response.onNext(status.get());
    response.onCompleted();
  }

  public void getDigest(DigestRequest request, StreamObserver<DigestResult> response) {
    calls.read(response, Query.newBuilder().setDigest(request), QueryResult::getDigest);
  }

  public void takeSnapshot(TakeSnapshotRequest request, StreamObserver<TakeSnapshotResult> response) {
    if (calls.refusesWrites(response)) {
      return;
    }
    AdminCalls.reply(response, raft.takeSnapshot(), index -> TakeSnapshotResult.newBuilder().setIndex(index).build());
  }

  public void leaderHistory(LeaderHistoryRequest request, StreamObserver<LeaderHistoryResult> response) {
    calls.read(response, Query.newBuilder().setLeaderHistory(request), QueryResult::getLeaderHistory);
  }

  public void getConfig(GetConfigRequest request, StreamObserver<GetConfigResult> response) {
    calls.read(response, Query.newBuilder().setGetConfig(request), QueryResult::getGetConfig);
  }

  public void setConfig(SetConfigRequest request, StreamObserver<ConfigEntry> response) {
    calls.write(response, Command.newBuilder().setSetConfig(request), CommandResult::getConfig);
  }

  public void openSession(OpenSessionRequest request, StreamObserver<SessionResult> response) {
    calls.write(response, Command.newBuilder().setOpenSession(request), CommandResult::getSession);
  }

  public void closeSession(CloseSessionRequest request, StreamObserver<SessionResult> response) {
    calls.write(response, Command.newBuilder().setCloseSession(request), CommandResult::getSession);
  }

  public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResult> response) {
    calls.read(response, Query.newBuilder().setListSessions(request), QueryResult::getListSessions);
  }
}
