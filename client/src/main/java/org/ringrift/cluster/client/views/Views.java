package org.ringrift.cluster.client.views;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.PeerStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;

/**
 * The JSON shapes operators script against, built once for rrctl and the HTTP status page.
 * Field names are a contract: add fields, never rename them.
 */
public final class Views {
  private Views() {}

  public static Map<String, Object> status(NodeStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", s.getNodeId());
    m.put("cluster_id", s.getClusterId());
    m.put("leader_id", s.getLeaderId().isEmpty() ? null : s.getLeaderId());
    m.put("is_leader", s.getIsLeader());
    m.put("role", s.getRole());
    m.put("term", s.getTerm());
    m.put("leader_ready", s.getLeaderReady());
    m.put("alive_peers", s.getAlivePeers());
    m.put("voters_alive", s.getVotersAlive());
    m.put("voter_quorum_ok", s.getVoterQuorumOk());
    m.put("applied_index", s.getAppliedIndex());
    m.put("commit_index", s.getCommitIndex());
    m.put("log_start_index", s.getLogStartIndex());
    m.put("snapshot_index", s.getSnapshotIndex());
    m.put("peers", s.getPeersList().stream().map(Views::peer).toList());
    return m;
  }

  private static Map<String, Object> peer(PeerStatus p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.getId());
    m.put("address", p.getAddress());
    m.put("alive", p.getAlive());
    m.put("last_contact_ms", p.getLastContactMs() < 0 ? null : p.getLastContactMs());
    return m;
  }

  public static Map<String, Object> item(WorkItem item) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", item.getId());
    m.put("type", enumName(item.getType().name(), "WORK_TYPE_"));
    m.put("state", enumName(item.getState().name(), "WORK_STATE_"));
    m.put("priority", item.getPriority());
    m.put("payload", item.getPayload().toString(StandardCharsets.UTF_8));
    m.put("attempts", item.getAttempts());
    m.put("max_attempts", item.getMaxAttempts());
    m.put("timeout_ms", item.getTimeoutMs());
    m.put("idempotency_key", emptyToNull(item.getIdempotencyKey()));
    m.put("claimed_by", emptyToNull(item.getClaimedBy()));
    m.put("token", item.hasLease() ? token(item.getLease()) : null);
    m.put("lease_expires_ms", zeroToNull(item.getLeaseExpiresMs()));
    m.put("result", item.getResult().isEmpty() ? null : item.getResult().toString(StandardCharsets.UTF_8));
    m.put("last_error", emptyToNull(item.getLastError()));
    m.put("created_ms", item.getCreatedMs());
    m.put("claimed_ms", zeroToNull(item.getClaimedMs()));
    m.put("finished_ms", zeroToNull(item.getFinishedMs()));
    return m;
  }

  public static Map<String, Object> items(List<WorkItem> items) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", items.stream().map(Views::item).toList());
    return m;
  }

  public static Map<String, Object> queueStats(QueueStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pending", s.getPending());
    m.put("claimed", s.getClaimed());
    m.put("running", s.getRunning());
    m.put("completed", s.getCompleted());
    m.put("failed", s.getFailed());
    m.put("timeout", s.getTimeout());
    m.put("cancelled", s.getCancelled());
    m.put("stale_token_rejections", s.getStaleTokenRejections());
    return m;
  }

  public static Map<String, Object> digest(String nodeId, DigestResult d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", nodeId);
    m.put("applied_index", d.getAppliedIndex());
    m.put("digest", d.getDigest());
    return m;
  }

  /** A lease token as operators type it: {@code term.sequence}. */
  public static String token(LeaseToken token) {
    return token.getTerm() + "." + token.getSequence();
  }

  public static LeaseToken parseToken(String text) {
    int dot = text.indexOf('.');
    if (dot < 1 || dot == text.length() - 1) {
      throw new IllegalArgumentException("token '" + text + "' must look like <term>.<sequence>");
    }
    try {
      return LeaseToken.newBuilder()
          .setTerm(Long.parseLong(text.substring(0, dot)))
          .setSequence(Long.parseLong(text.substring(dot + 1)))
          .build();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("token '" + text + "' must look like <term>.<sequence>");
    }
  }

  private static String enumName(String name, String prefix) {
    return name.startsWith(prefix) ? name.substring(prefix.length()).toLowerCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT);
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static Long zeroToNull(long v) {
    return v == 0 ? null : v;
  }
}
