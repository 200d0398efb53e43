package org.ringrift.cluster.contract.views;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.SyncRecord;
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
    m.put("alerts", s.getAlertsList().stream().map(a -> {
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("name", a.getName());
      alert.put("firing", a.getFiring());
      alert.put("since_ms", a.getSinceMs() == 0 ? null : a.getSinceMs());
      alert.put("detail", a.getDetail());
      return alert;
    }).toList());
    m.put("facts", facts(s.getFacts()));
    m.put("transport", s.getFacts().getTransport());
    m.put("insecure", s.getFacts().getTransport().equals("insecure"));
    // null: the node could not read its own state when it answered (or predates sessions).
    m.put("sessions_open", s.hasSessions() ? s.getSessions().getOpen() : null);
    m.put("session_dedupe_hits", s.hasSessions() ? s.getSessions().getDedupeHits() : null);
    // Rolling upgrades: this node's binary, the feature levels it applies, the cluster's level as
    // it applied it (null: unreadable), and why it stopped applying (null: it applies).
    m.put("binary_version", emptyToNull(s.getBinaryVersion()));
    m.put("feature_levels", s.getMaxFeatureLevel() == 0 ? null : s.getMinFeatureLevel() + "-" + s.getMaxFeatureLevel());
    m.put("feature_level", s.getFeatureLevel() == 0 ? null : s.getFeatureLevel());
    m.put("apply_halted", emptyToNull(s.getApplyHalted()));
    return m;
  }

  private static Map<String, Object> facts(org.ringrift.cluster.proto.NodeFacts f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fsync_p50_us", f.getFsyncP50Us());
    m.put("fsync_max_us", f.getFsyncMaxUs());
    m.put("fsync_samples", f.getFsyncSamples());
    m.put("election_timeout_min_ms", f.getElectionTimeoutMinMs());
    m.put("election_timeout_max_ms", f.getElectionTimeoutMaxMs());
    m.put("read_option", f.getReadOption());
    m.put("grpc_message_max_bytes", f.getGrpcMessageMaxBytes());
    m.put("appender_buffer_bytes", f.getAppenderBufferBytes());
    m.put("clock_ms", f.getClockMs());
    m.put("snapshot_time_ms", f.getSnapshotTimeMs() == 0 ? null : f.getSnapshotTimeMs());
    m.put("snapshot_threshold_entries", f.getSnapshotThresholdEntries());
    m.put("transport", f.getTransport());
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
    m.put("claimed_node", emptyToNull(item.getClaimedNode()));
    m.put("depends_on", item.getDependsOnList());
    m.put("group_key", emptyToNull(item.getGroupKey()));
    m.put("target_node", emptyToNull(item.getTargetNode()));
    m.put("excluded_nodes", item.getExcludedNodesList());
    m.put("required_capabilities", item.getRequiredCapabilitiesList());
    m.put("not_before_ms", zeroToNull(item.getNotBeforeMs()));
    m.put("token", item.hasLease() ? token(item.getLease()) : null);
    m.put("lease_expires_ms", zeroToNull(item.getLeaseExpiresMs()));
    m.put("result", item.getResult().isEmpty() ? null : item.getResult().toString(StandardCharsets.UTF_8));
    m.put("last_error", emptyToNull(item.getLastError()));
    m.put("created_ms", item.getCreatedMs());
    m.put("claimed_ms", zeroToNull(item.getClaimedMs()));
    m.put("finished_ms", zeroToNull(item.getFinishedMs()));
    m.put("note", emptyToNull(item.getNote()));
    return m;
  }

  public static Map<String, Object> featureLevel(org.ringrift.cluster.proto.FeatureLevelStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature_level", s.getLevel().getLevel());
    m.put("max_used_level", s.getLevel().getMaxUsedLevel());
    m.put("members", s.getMembersList().stream().map(member -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("node_id", member.getNodeId());
      row.put("role", member.getRole());
      row.put("binary_version", emptyToNull(member.getBinaryVersion()));
      row.put("feature_levels", member.getMaxFeatureLevel() == 0 ? null
          : member.getMinFeatureLevel() + "-" + member.getMaxFeatureLevel());
      row.put("supports_next", member.getMaxFeatureLevel() > s.getLevel().getLevel());
      return row;
    }).toList());
    return m;
  }

  public static Map<String, Object> featureLevelResult(org.ringrift.cluster.proto.FeatureLevelResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature_level", r.getLevel());
    m.put("previous", r.getPrevious());
    m.put("max_used_level", r.getMaxUsedLevel());
    return m;
  }

  public static Map<String, Object> items(List<WorkItem> items) {
    return list("items", items, Views::item);
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
    m.put("fenced_rejections", s.getFencedRejections());
    m.put("backpressure_active", s.getBackpressureActive());
    m.put("pending_by_type", new java.util.TreeMap<>(s.getPendingByTypeMap()));
    return m;
  }

  public static Map<String, Object> digest(String nodeId, DigestResult d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", nodeId);
    m.put("applied_index", d.getAppliedIndex());
    m.put("digest", d.getDigest());
    return m;
  }

  public static Map<String, Object> node(NodeRecord n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", n.getNodeId());
    m.put("health", enumName(n.getHealth().name(), "NODE_HEALTH_"));
    m.put("roles", n.getRolesList());
    m.put("capabilities", n.getCapabilitiesList());
    m.put("last_heartbeat_ms", zeroToNull(n.getLastHeartbeatMs()));
    m.put("blacklisted_until_ms", zeroToNull(n.getBlacklistedUntilMs()));
    m.put("blacklist_reason", emptyToNull(n.getBlacklistReason()));
    m.put("failure_count", n.getFailureCount());
    m.put("draining", n.getDraining());
    m.put("first_seen_ms", n.getFirstSeenMs());
    m.put("resources", new java.util.TreeMap<>(n.getResourcesMap()));
    m.put("daemon_states", new java.util.TreeMap<>(n.getDaemonStatesMap()));
    return m;
  }

  public static Map<String, Object> config(ConfigEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", e.getKey());
    m.put("value", e.getValue());
    m.put("is_default", e.getIsDefault());
    m.put("description", e.getDescription());
    return m;
  }

  public static Map<String, Object> event(Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", e.getSeq());
    m.put("type", e.getType());
    m.put("time_ms", e.getTimeMs());
    m.put("term", e.getTerm());
    m.put("subject", e.getSubject());
    m.put("message", e.getMessage());
    return m;
  }

  public static Map<String, Object> leader(LeaderRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", r.getTerm());
    m.put("leader_id", r.getLeaderId());
    m.put("since_ms", r.getSinceMs());
    return m;
  }

  public static Map<String, Object> sync(SyncRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sync_id", r.getSyncId());
    m.put("status", enumName(r.getStatus().name(), "SYNC_STATUS_"));
    m.put("dataset", r.getDataset());
    m.put("file", r.getFile());
    m.put("size_bytes", r.getSizeBytes());
    m.put("bytes_done", r.getBytesDone());
    m.put("sha256", r.getSha256());
    m.put("source_node", r.getSourceNode());
    m.put("target_node", r.getTargetNode());
    m.put("method", emptyToNull(r.getMethod()));
    m.put("error", emptyToNull(r.getError()));
    m.put("planned_ms", r.getPlannedMs());
    m.put("started_ms", zeroToNull(r.getStartedMs()));
    m.put("finished_ms", zeroToNull(r.getFinishedMs()));
    return m;
  }

  public static Map<String, Object> daemon(DaemonInfo d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.getName());
    m.put("scope", d.getScope().toLowerCase(Locale.ROOT));
    m.put("state", d.getState());
    m.put("restarts", d.getRestarts());
    m.put("last_error", emptyToNull(d.getLastError()));
    m.put("leader_term", d.getLeaderTerm() == 0 ? null : d.getLeaderTerm());
    m.put("desired_enabled", d.getDesiredEnabled());
    m.put("restarts_last_hour", d.getRestartsLastHour());
    return m;
  }

  public static Map<String, Object> desired(DaemonDesired d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.getName());
    m.put("enabled", d.getEnabled());
    m.put("changed_ms", d.getChangedMs());
    return m;
  }

  public static Map<String, Object> daemons(ListDaemonsResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", r.getNodeId());
    m.put("daemons", r.getDaemonsList().stream().map(Views::daemon).toList());
    return m;
  }

  /**
   * The open client sessions and the session counters. {@code idle_ms} is {@code nowMs} (the
   * reader's clock) minus the session's last activity on the cluster's state clock, never below 0.
   */
  public static Map<String, Object> sessions(ListSessionsResult r, long nowMs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessions", r.getSessionsList().stream().map(s -> session(s, nowMs)).toList());
    m.put("totals", sessionTotals(r));
    m.put("next_after_session_id", zeroToNull(r.getNextAfterSessionId()));
    return m;
  }

  public static Map<String, Object> session(SessionInfo s, long nowMs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session_id", s.getSessionId());
    m.put("client_name", emptyToNull(s.getClientName()));
    m.put("last_seq", s.getLastSeq());
    m.put("acked_below", s.getAckedBelow());
    m.put("results_held", s.getResultsHeld());
    m.put("result_bytes", s.getResultBytes());
    m.put("opened_ms", s.getOpenedMs());
    m.put("last_active_ms", s.getLastActiveMs());
    m.put("idle_ms", Math.max(0, nowMs - s.getLastActiveMs()));
    return m;
  }

  /** The session counters of the replicated state (open and result_bytes are now; the rest since it began). */
  public static Map<String, Object> sessionTotals(ListSessionsResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("open", r.getOpen());
    m.put("dedupe_hits", r.getDedupeHits());
    m.put("evicted", r.getEvicted());
    m.put("expired", r.getExpired());
    m.put("result_bytes", r.getResultBytes());
    m.put("rejected_expired", r.getRejectedExpired());
    m.put("closed", r.getClosed());
    return m;
  }

  /** {@code {key: [view, ...]}}: the shape of every list answer. */
  public static <T> Map<String, Object> list(String key, List<T> values, java.util.function.Function<T, Map<String, Object>> view) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, values.stream().map(view).toList());
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
