package org.ringrift.cluster.raft;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/** The cluster's name and its voters; the Raft group id is derived from the name. */
public record ClusterSpec(String clusterId, List<Member> members) {
  public ClusterSpec {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one member");
    }
    Set<String> ids = new HashSet<>();
    for (Member member : members) {
      if (!ids.add(member.id())) {
        throw new IllegalArgumentException("member id " + member.id() + " appears twice");
      }
    }
  }

  public RaftGroupId groupId() {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("ringrift:" + clusterId).getBytes(StandardCharsets.UTF_8)));
  }

  public RaftGroup group() {
    return RaftGroup.valueOf(groupId(), members.stream().map(ClusterSpec::peer).toList());
  }

  public Optional<Member> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  static RaftPeer peer(Member member) {
    return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(member.id())).setAddress(member.address()).build();
  }
}
