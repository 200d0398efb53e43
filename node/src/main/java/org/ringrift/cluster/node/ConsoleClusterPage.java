package org.ringrift.cluster.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.node.admin.MembershipAdmin;
import org.ringrift.cluster.node.admin.StateAdmin;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.ListMembersRequest;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.StatusRequest;

/**
 * The console's cluster page: every member's status and digest (this node in-process, the others
 * over gRPC), their lag, whether the digests agree, and the leader history.
 */
final class ConsoleClusterPage {
  private final String nodeId;
  private final StateAdmin state;
  private final MembershipAdmin members;
  private final PeerReads peers;

  ConsoleClusterPage(String nodeId, StateAdmin state, MembershipAdmin members, PeerReads peers) {
    this.nodeId = nodeId;
    this.state = state;
    this.members = members;
    this.peers = peers;
  }

  CompletableFuture<ConsoleAnswer> cluster() {
    CompletableFuture<NodeStatus> self = ConsoleCalls.call(state::status, StatusRequest.getDefaultInstance());
    CompletableFuture<List<Member>> memberList = ConsoleCalls.call(members::listMembers,
        ListMembersRequest.getDefaultInstance()).thenApply(r -> r.getMembersList());
    CompletableFuture<List<Map<String, Object>>> history = ConsoleCalls.call(state::leaderHistory,
        LeaderHistoryRequest.newBuilder().setLimit(20).build())
        .thenApply(r -> r.getLeadersList().stream().map(Views::leader).toList())
        .exceptionally(e -> List.of())
        // A linearizable read waits for a leader; during an election the page still shows the rest.
        .completeOnTimeout(List.of(), PeerReads.DEADLINE_MS, TimeUnit.MILLISECONDS);
    Map<String, String> addresses = peers.addresses();
    return self.thenCombine(memberList, (s, m) -> new Object[] {s, m}).thenCompose(pair -> {
      NodeStatus selfStatus = (NodeStatus) pair[0];
      @SuppressWarnings("unchecked")
      List<Member> memberRows = (List<Member>) pair[1];
      List<CompletableFuture<Map<String, Object>>> rows = new ArrayList<>();
      for (Member member : memberRows) {
        rows.add(memberRow(member, selfStatus, addresses.get(member.getId())));
      }
      return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new)).thenCombine(history, (ignored, h) -> {
        List<Map<String, Object>> nodes = rows.stream().map(CompletableFuture::join).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("cluster_id", selfStatus.getClusterId());
        body.put("leader_id", selfStatus.getLeaderId().isEmpty() ? null : selfStatus.getLeaderId());
        body.put("term", selfStatus.getTerm());
        body.put("voter_quorum_ok", selfStatus.getVoterQuorumOk());
        body.put("members", withLag(nodes));
        body.put("alerts", Views.status(selfStatus).get("alerts"));
        body.put("digests", digestAgreement(nodes));
        body.put("leader_history", h);
        body.put("time_ms", System.currentTimeMillis());
        return ConsoleAnswer.ok(body);
      });
    });
  }

  private CompletableFuture<Map<String, Object>> memberRow(Member member, NodeStatus selfStatus, String address) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", member.getId());
    row.put("raft_address", member.getAddress());
    row.put("admin_address", address);
    row.put("membership", member.getRole().toLowerCase(Locale.ROOT));
    row.put("is_leader", member.getIsLeader());
    CompletableFuture<NodeStatus> status;
    CompletableFuture<DigestResult> digest;
    if (member.getId().equals(nodeId)) {
      status = CompletableFuture.completedFuture(selfStatus);
      digest = ConsoleCalls.call(state::getDigest, DigestRequest.getDefaultInstance())
          .completeOnTimeout(null, PeerReads.DEADLINE_MS, TimeUnit.MILLISECONDS);
    } else if (address == null) {
      row.put("reachable", false);
      row.put("error", "admin address unknown (no heartbeat from this node in the registry yet)");
      return CompletableFuture.completedFuture(row);
    } else {
      status = peers.status(address);
      digest = peers.digest(address);
    }
    return status.handle((s, error) -> {
      if (error != null) {
        row.put("reachable", false);
        row.put("error", ConsoleAnswer.of(error).body() instanceof Map<?, ?> m ? m.get("error") : error.toString());
        return row;
      }
      row.put("reachable", true);
      row.put("role", s.getRole());
      row.put("term", s.getTerm());
      row.put("leader_id", s.getLeaderId().isEmpty() ? null : s.getLeaderId());
      row.put("commit_index", s.getCommitIndex());
      row.put("applied_index", s.getAppliedIndex());
      row.put("firing_alerts", s.getAlertsList().stream().filter(a -> a.getFiring()).map(a -> a.getName()).toList());
      return row;
    }).thenCombine(digest.handle((d, error) -> d), (r, d) -> {
      if (d != null) {
        r.put("digest", d.getDigest());
        r.put("digest_index", d.getAppliedIndex());
      }
      return r;
    });
  }

  /** Lag: the highest commit index any reachable node reports minus the node's applied index. */
  private static List<Map<String, Object>> withLag(List<Map<String, Object>> rows) {
    long commit = rows.stream().filter(r -> r.get("commit_index") != null).mapToLong(r -> (Long) r.get("commit_index"))
        .max().orElse(0);
    for (Map<String, Object> row : rows) {
      if (row.get("applied_index") instanceof Long applied) {
        row.put("lag", Math.max(0, commit - applied));
      }
    }
    return rows;
  }

  /**
   * Digests can only be compared between nodes at the same applied index; "agree" when at least
   * two nodes share an index and every such group has one digest.
   */
  private static Map<String, Object> digestAgreement(List<Map<String, Object>> rows) {
    Map<Long, List<Map<String, Object>>> byIndex = new TreeMap<>();
    for (Map<String, Object> row : rows) {
      if (row.get("digest_index") instanceof Long index) {
        byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(row);
      }
    }
    String verdict = "unknown";
    String detail = "no two nodes answered at the same applied index";
    for (Map.Entry<Long, List<Map<String, Object>>> group : byIndex.entrySet()) {
      if (group.getValue().size() < 2) {
        continue;
      }
      long distinct = group.getValue().stream().map(r -> r.get("digest")).distinct().count();
      List<Object> ids = group.getValue().stream().map(r -> r.get("id")).toList();
      if (distinct > 1) {
        verdict = "disagree";
        detail = "nodes " + ids + " differ at applied index " + group.getKey();
        break;
      }
      verdict = "agree";
      detail = "nodes " + ids + " have the same digest at applied index " + group.getKey();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", verdict);
    m.put("detail", detail);
    return m;
  }
}
