package org.ringrift.cluster.node;

import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.PeerStatus;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.raft.RaftView;

/** This node's view of the cluster, and whether it is fit to serve. */
public final class StatusService {
  /** Why this node is or is not ready to serve. */
  public record Readiness(boolean ready, String reason) {}

  private final RaftNode raft;
  private final long readyMaxLagEntries;

  public StatusService(RaftNode raft, long readyMaxLagEntries) {
    this.raft = raft;
    this.readyMaxLagEntries = readyMaxLagEntries;
  }

  public NodeStatus status() {
    RaftView view = raft.view();
    NodeStatus.Builder status = NodeStatus.newBuilder()
        .setNodeId(view.nodeId())
        .setClusterId(raft.spec().clusterId())
        .setLeaderId(view.leaderId())
        .setIsLeader(view.isLeader())
        .setRole(view.role())
        .setTerm(view.term())
        .setLeaderReady(view.leaderReady())
        .setAlivePeers(view.alivePeers())
        .setVotersAlive(view.votersAlive())
        .setVoterQuorumOk(view.voterQuorumOk())
        .setAppliedIndex(view.appliedIndex())
        .setCommitIndex(view.commitIndex())
        .setLogStartIndex(view.logStartIndex())
        .setSnapshotIndex(view.snapshotIndex());
    for (RaftView.PeerView peer : view.peers()) {
      status.addPeers(PeerStatus.newBuilder().setId(peer.id()).setAddress(peer.address())
          .setAlive(peer.alive()).setLastContactMs(peer.lastContactMs()));
    }
    return status.build();
  }

  public Readiness readiness() {
    RaftView view = raft.view();
    if (view.leaderId().isEmpty()) {
      return new Readiness(false, "no leader known");
    }
    if (view.isLeader() && !view.leaderReady()) {
      return new Readiness(false, "leader of term " + view.term() + " is not ready yet");
    }
    long lag = view.commitIndex() - view.appliedIndex();
    if (lag > readyMaxLagEntries) {
      return new Readiness(false, "catching up: applied " + view.appliedIndex() + " of " + view.commitIndex());
    }
    return new Readiness(true, "ok: leader " + view.leaderId() + " term " + view.term());
  }
}
