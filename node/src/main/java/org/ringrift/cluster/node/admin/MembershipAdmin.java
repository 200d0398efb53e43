package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.node.guard.EdgeChecks;
import org.ringrift.cluster.proto.AddMemberRequest;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.ListMembersRequest;
import org.ringrift.cluster.proto.ListMembersResult;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.RemoveMemberRequest;
import org.ringrift.cluster.proto.TransferLeaderRequest;
import org.ringrift.cluster.proto.TransferLeaderResult;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.raft.RaftView;

/** The Raft configuration: list, add and remove members, and hand leadership to a voter. */
public final class MembershipAdmin implements AdminArea {
  private final RaftNode raft;
  private final AdminCalls calls;

  public MembershipAdmin(RaftNode raft, AdminCalls calls) {
    this.raft = raft;
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getListMembersMethod(), asyncUnaryCall(this::listMembers))
        .addMethod(AdminServiceGrpc.getAddMemberMethod(), asyncUnaryCall(this::addMember))
        .addMethod(AdminServiceGrpc.getRemoveMemberMethod(), asyncUnaryCall(this::removeMember))
        .addMethod(AdminServiceGrpc.getTransferLeaderMethod(), asyncUnaryCall(this::transferLeader));
  }

  public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResult> response) {
    response.onNext(membersResult());
    response.onCompleted();
  }

  public void addMember(AddMemberRequest request, StreamObserver<ListMembersResult> response) {
    if (!AdminCalls.edgeCheck(response, () -> {
      EdgeChecks.text("id", request.getId(), EdgeChecks.MAX_NAME, true);
      EdgeChecks.text("address", request.getAddress(), EdgeChecks.MAX_ADDRESS, true);
    })) {
      return;
    }
    if (outsideTheConfiguration(response)) {
      return;
    }
    org.ringrift.cluster.raft.Member parsed;
    try {
      parsed = org.ringrift.cluster.raft.Member.parse(request.getId() + "=" + request.getAddress());
    } catch (IllegalArgumentException e) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "address: " + e.getMessage()));
      return;
    }
    List<RaftView.MemberView> members = raft.members();
    if (members.stream().anyMatch(m -> m.id().equals(parsed.id()))) {
      response.onError(Rejections.toStatus(ErrorKind.FAILED_PRECONDITION, "id: " + parsed.id() + " is already a member"));
      return;
    }
    if (calls.refusesWrites(response)) {
      return;
    }
    AdminCalls.reply(response, raft.addMember(new RaftView.MemberView(parsed.id(), parsed.address(),
        !request.getListener())), ignored -> membersResult());
  }

  public void removeMember(RemoveMemberRequest request, StreamObserver<ListMembersResult> response) {
    if (!AdminCalls.edgeCheck(response, () -> EdgeChecks.text("id", request.getId(), EdgeChecks.MAX_NAME, true))
        || outsideTheConfiguration(response)) {
      return;
    }
    List<RaftView.MemberView> members = raft.members();
    List<RaftView.MemberView> next = members.stream().filter(m -> !m.id().equals(request.getId())).toList();
    if (next.size() == members.size()) {
      response.onError(Rejections.toStatus(ErrorKind.NOT_FOUND, "id: " + request.getId() + " is not a member"));
      return;
    }
    if (next.stream().noneMatch(RaftView.MemberView::voter)) {
      response.onError(Rejections.toStatus(ErrorKind.FAILED_PRECONDITION, "id: removing " + request.getId()
          + " would leave no voter"));
      return;
    }
    if (calls.refusesWrites(response)) {
      return;
    }
    AdminCalls.reply(response, raft.replaceMembers(members, next), ignored -> membersResult());
  }

  public void transferLeader(TransferLeaderRequest request, StreamObserver<TransferLeaderResult> response) {
    if (!AdminCalls.edgeCheck(response, () -> EdgeChecks.text("to", request.getTo(), EdgeChecks.MAX_NAME, true))) {
      return;
    }
    boolean known = raft.members().stream().anyMatch(m -> m.voter() && m.id().equals(request.getTo()));
    if (!known) {
      response.onError(Rejections.toStatus(ErrorKind.NOT_FOUND, "to: '" + request.getTo() + "' is not a voter of "
          + raft.members().stream().filter(m -> m.voter()).map(m -> m.id()).toList()));
      return;
    }
    long timeoutMs = request.getTimeoutMs() == 0 ? 10_000 : request.getTimeoutMs();
    if (timeoutMs < 100 || timeoutMs > 120_000) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "timeout_ms: " + timeoutMs
          + " is out of range 100-120000"));
      return;
    }
    AdminCalls.reply(response, raft.transferLeadership(request.getTo(), timeoutMs),
        ignored -> TransferLeaderResult.newBuilder().setLeaderId(raft.view().leaderId()).setTerm(raft.view().term())
            .build());
  }

  /**
   * A node outside the configuration (joining, or removed) does not know the members, so it cannot
   * compute a change; it refuses without proposing, and the client asks a member instead.
   */
  private boolean outsideTheConfiguration(StreamObserver<?> response) {
    if (raft.members().stream().anyMatch(m -> m.id().equals(raft.id()))) {
      return false;
    }
    response.onError(Rejections.notProposed(ErrorKind.UNAVAILABLE, "node " + raft.id()
        + " is not in the configuration (joining or removed); membership changes go through a member"));
    return true;
  }

  private ListMembersResult membersResult() {
    String leader = raft.view().leaderId();
    ListMembersResult.Builder result = ListMembersResult.newBuilder();
    raft.members().forEach(m -> result.addMembers(Member.newBuilder().setId(m.id()).setAddress(m.address())
        .setRole(m.voter() ? "VOTER" : "LISTENER").setIsLeader(m.id().equals(leader))));
    return result.build();
  }
}
