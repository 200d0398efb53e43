package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.Endpoint;

import java.util.List;
import org.ringrift.cluster.proto.AddMemberRequest;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.ListMembersRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.RemoveMemberRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.TakeSnapshotRequest;
import org.ringrift.cluster.proto.TransferLeaderRequest;
import org.ringrift.cluster.proto.TransferLeaderResult;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;

/** The calls about nodes: the node registry, the Raft configuration and leadership, and one node's own view. */
final class NodeCalls {
  private final LeaderCalls calls;
  private final SessionWrites writes;

  NodeCalls(LeaderCalls calls, SessionWrites writes) {
    this.calls = calls;
    this.writes = writes;
  }

  /** The status of the first node that answers, as that node sees it (leader hints are not followed). */
  NodeStatus status() {
    return calls.call(Delivery.REPEATABLE, false, stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  /** The status of one node, as that node sees it. */
  NodeStatus statusOf(Endpoint endpoint) {
    return calls.callOne(endpoint, stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  /** The state digest of one node's local state. */
  DigestResult digestOf(Endpoint endpoint) {
    return calls.callOne(endpoint, stub -> stub.getDigest(DigestRequest.getDefaultInstance()));
  }

  /** Asks one node to take a snapshot now; returns the log index it covers. */
  long takeSnapshot(Endpoint endpoint) {
    return calls.callOne(endpoint, stub -> stub.takeSnapshot(TakeSnapshotRequest.getDefaultInstance())).getIndex();
  }

  NodeRecord heartbeat(HeartbeatRequest request) {
    return writes.write(stub -> stub.heartbeat(request)).getNode();
  }

  List<NodeRecord> listNodes() {
    return calls.read(stub -> stub.listNodes(ListNodesRequest.getDefaultInstance())).getNodesList();
  }

  NodeRecord blacklistNode(BlacklistNodeRequest request) {
    return writes.write(stub -> stub.blacklistNode(request)).getNode();
  }

  NodeRecord unblacklistNode(String nodeId) {
    return writes.write(stub -> stub.unblacklistNode(UnblacklistNodeRequest.newBuilder().setNodeId(nodeId).build()))
        .getNode();
  }

  NodeRecord drainNode(String nodeId, boolean draining) {
    return writes.write(stub -> stub.drainNode(DrainNodeRequest.newBuilder().setNodeId(nodeId)
        .setDraining(draining).build())).getNode();
  }

  /** The Raft configuration as the first node that answers knows it. */
  List<Member> members() {
    return calls.call(Delivery.REPEATABLE, false, stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()))
        .getMembersList();
  }

  List<Member> addMember(String id, String address, boolean listener) {
    return calls.adminWrite(stub -> stub.addMember(AddMemberRequest.newBuilder().setId(id)
        .setAddress(address).setListener(listener).build())).getMembersList();
  }

  List<Member> removeMember(String id) {
    return calls.adminWrite(stub -> stub.removeMember(RemoveMemberRequest.newBuilder().setId(id).build()))
        .getMembersList();
  }

  TransferLeaderResult transferLeader(String to) {
    return calls.adminWrite(stub -> stub.transferLeader(TransferLeaderRequest.newBuilder().setTo(to).build()));
  }
}
