package org.ringrift.cluster.raft;

import java.util.List;

/**
 * What this node's Raft server knows right now. Peer liveness is measured by Raft traffic: a
 * leader sees every follower, a follower sees only its leader ({@code lastContactMs} -1 = unknown).
 */
public record RaftView(
    String nodeId,
    String role,
    long term,
    String leaderId,
    boolean leaderReady,
    long appliedIndex,
    long commitIndex,
    long logStartIndex,
    long snapshotIndex,
    List<PeerView> peers) {

  public record PeerView(String id, String address, boolean alive, long lastContactMs) {}

  /** A member of the Raft configuration: a voter or a non-voting listener. */
  public record MemberView(String id, String address, boolean voter) {}

  public boolean isLeader() {
    return "LEADER".equals(role);
  }

  /** Alive peers other than this node. */
  public int alivePeers() {
    return (int) peers.stream().filter(p -> p.alive() && !p.id().equals(nodeId)).count();
  }

  /** Alive voters, this node included. */
  public int votersAlive() {
    return (int) peers.stream().filter(PeerView::alive).count();
  }

  /**
   * A majority of voters is reachable. A follower cannot count its peers, but a leader it hears
   * from has heard from a majority within an election timeout, or it would have stepped down.
   */
  public boolean voterQuorumOk() {
    if (isLeader()) {
      return votersAlive() > peers.size() / 2;
    }
    return peers.stream().anyMatch(p -> p.id().equals(leaderId) && p.alive());
  }
}
