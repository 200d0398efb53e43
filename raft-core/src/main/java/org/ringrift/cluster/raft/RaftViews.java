package org.ringrift.cluster.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.SnapshotInfo;

/** What this node's Raft server knows, read from its division: leader, members, role, progress. */
final class RaftViews {
  private final RaftServer server;
  private final RaftGroupId groupId;
  private final String selfId;
  private final long contactWindowMs;

  /** {@code contactWindowMs}: a peer heard from within it counts as reachable. */
  RaftViews(RaftServer server, RaftGroupId groupId, String selfId, long contactWindowMs) {
    this.server = server;
    this.groupId = groupId;
    this.selfId = selfId;
    this.contactWindowMs = contactWindowMs;
  }

  String leaderId() {
    try {
      RaftPeerId leader = server.getDivision(groupId).getInfo().getLeaderId();
      return leader == null ? "" : leader.toString();
    } catch (IOException e) {
      return "";
    }
  }

  List<RaftView.MemberView> members() {
    try {
      RaftServer.Division division = server.getDivision(groupId);
      List<RaftView.MemberView> members = new ArrayList<>();
      for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
        members.add(new RaftView.MemberView(peer.getId().toString(), peer.getAddress(), true));
      }
      for (RaftPeer peer : division.getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER)) {
        members.add(new RaftView.MemberView(peer.getId().toString(), peer.getAddress(), false));
      }
      return members;
    } catch (IOException e) {
      return List.of();
    }
  }

  RaftView view() {
    try {
      RaftServer.Division division = server.getDivision(groupId);
      DivisionInfo info = division.getInfo();
      RaftPeerId leader = info.getLeaderId();
      String leaderId = leader == null ? "" : leader.toString();
      return new RaftView(selfId, info.getCurrentRole().name(), info.getCurrentTerm(), leaderId,
          info.isLeaderReady(), info.getLastAppliedIndex(), division.getRaftLog().getLastCommittedIndex(),
          division.getRaftLog().getStartIndex(), snapshotIndex(division),
          peers(division, info.getRoleInfoProto(), leaderId));
    } catch (IOException e) {
      return new RaftView(selfId, "UNKNOWN", 0, "", false, -1, -1, -1, -1, List.of());
    }
  }

  EffectiveSettings effectiveSettings() {
    RaftProperties p = server.getProperties();
    return new EffectiveSettings(RaftServerConfigKeys.Read.option(p).name(),
        GrpcConfigKeys.messageSizeMax(p, m -> { }).getSize(),
        RaftServerConfigKeys.Log.Appender.bufferByteLimit(p).getSize());
  }

  long latestSnapshotTimeMs() {
    try {
      SnapshotInfo snapshot = server.getDivision(groupId).getStateMachine().getLatestSnapshot();
      if (snapshot == null || snapshot.getFiles() == null || snapshot.getFiles().isEmpty()) {
        return 0;
      }
      return Files.getLastModifiedTime(snapshot.getFiles().get(0).getPath()).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long snapshotIndex(RaftServer.Division division) {
    SnapshotInfo snapshot = division.getStateMachine().getLatestSnapshot();
    return snapshot == null ? -1 : snapshot.getIndex();
  }

  private List<RaftView.PeerView> peers(RaftServer.Division division, RoleInfoProto role, String leaderId) {
    Map<String, Long> contactMs = new HashMap<>();
    if (role.hasLeaderInfo()) {
      role.getLeaderInfo().getFollowerInfoList().forEach(f ->
          contactMs.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs()));
    } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
      contactMs.put(leaderId, role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs());
    }
    List<RaftView.PeerView> peers = new ArrayList<>();
    for (RaftPeer peer : division.getGroup().getPeers()) {
      String id = peer.getId().toString();
      if (id.equals(selfId)) {
        peers.add(new RaftView.PeerView(id, peer.getAddress(), true, 0));
        continue;
      }
      long contact = contactMs.getOrDefault(id, -1L);
      peers.add(new RaftView.PeerView(id, peer.getAddress(), contact >= 0 && contact <= contactWindowMs, contact));
    }
    return peers;
  }
}
