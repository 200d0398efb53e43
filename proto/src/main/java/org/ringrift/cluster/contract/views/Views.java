package org.ringrift.cluster.contract.views;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.FeatureLevelStatus;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.MemberFeatures;
import org.ringrift.cluster.proto.NodeFacts;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.PeerStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.WorkItem;

/**
 * The JSON shapes operators script against, built once for rrctl and the HTTP status page.
 * Field names are a contract: add fields, never rename them. Each view names its fields in
 * order; {@link ProtoFields} reads them through JsonFormat; what a view adds beyond the message
 * (nulls for unset values, computed fields) is spelled out here.
 */
public final class Views {
  private Views() {}

  public static Map<String, Object> status(NodeStatus s) {
    ProtoFields fields = ProtoFields.of(s);
    Map<String, Object> m = new LinkedHashMap<>();
    fields.copy(m, "node_id", "cluster_id", "leader_id", "is_leader", "role", "term", "leader_ready", "alive_peers",
        "voters_alive", "voter_quorum_ok", "applied_index", "commit_index", "log_start_index", "snapshot_index");
    m.put("peers", s.getPeersList().stream().map(Views::peer).toList());
    m.put("alerts", s.getAlertsList().stream().map(Views::alert).toList());
    m.put("facts", facts(s.getFacts()));
    m.put("transport", s.getFacts().getTransport());
    m.put("insecure", s.getFacts().getTransport().equals("insecure"));
    // null: the node could not read its own state when it answered (or predates sessions).
    m.put("sessions_open", s.hasSessions() ? s.getSessions().getOpen() : null);
    m.put("session_dedupe_hits", s.hasSessions() ? s.getSessions().getDedupeHits() : null);
    // Rolling upgrades: this node's binary, the feature levels it applies, the cluster's level as
    // it applied it (null: unreadable), and why it stopped applying (null: it applies).
    fields.copy(m, "binary_version");
    m.put("feature_levels", levels(s.getMinFeatureLevel(), s.getMaxFeatureLevel()));
    fields.copy(m, "feature_level", "apply_halted");
    return unsetToNull(m, "leader_id", "binary_version", "feature_level", "apply_halted");
  }

  private static Map<String, Object> facts(NodeFacts f) {
    return unsetToNull(view(f, "fsync_p50_us", "fsync_max_us", "fsync_samples", "election_timeout_min_ms",
        "election_timeout_max_ms", "read_option", "grpc_message_max_bytes", "appender_buffer_bytes", "clock_ms",
        "snapshot_time_ms", "snapshot_threshold_entries", "transport"), "snapshot_time_ms");
  }

  private static Map<String, Object> peer(PeerStatus p) {
    Map<String, Object> m = view(p, "id", "address", "alive", "last_contact_ms");
    m.put("last_contact_ms", p.getLastContactMs() < 0 ? null : p.getLastContactMs());
    return m;
  }

  private static Map<String, Object> alert(Alert a) {
    return unsetToNull(view(a, "name", "firing", "since_ms", "detail"), "since_ms");
  }

  public static Map<String, Object> item(WorkItem item) {
    ProtoFields fields = ProtoFields.of(item);
    Map<String, Object> m = new LinkedHashMap<>();
    fields.copy(m, "id", "type", "state", "priority", "payload", "attempts", "max_attempts", "timeout_ms",
        "idempotency_key", "claimed_by", "claimed_node", "depends_on", "group_key", "target_node", "excluded_nodes",
        "required_capabilities", "not_before_ms");
    m.put("token", item.hasLease() ? token(item.getLease()) : null);
    fields.copy(m, "lease_expires_ms", "result", "last_error", "created_ms", "claimed_ms", "finished_ms", "note");
    return unsetToNull(m, "idempotency_key", "claimed_by", "claimed_node", "group_key", "target_node", "not_before_ms",
        "lease_expires_ms", "result", "last_error", "claimed_ms", "finished_ms", "note");
  }

  public static Map<String, Object> featureLevel(FeatureLevelStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature_level", s.getLevel().getLevel());
    m.put("max_used_level", s.getLevel().getMaxUsedLevel());
    m.put("members", s.getMembersList().stream().map(member -> member(member, s.getLevel().getLevel())).toList());
    return m;
  }

  private static Map<String, Object> member(MemberFeatures member, int clusterLevel) {
    Map<String, Object> row = unsetToNull(view(member, "node_id", "role", "binary_version"), "binary_version");
    row.put("feature_levels", levels(member.getMinFeatureLevel(), member.getMaxFeatureLevel()));
    row.put("supports_next", member.getMaxFeatureLevel() > clusterLevel);
    return row;
  }

  public static Map<String, Object> featureLevelResult(FeatureLevelResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature_level", r.getLevel());
    ProtoFields.of(r).copy(m, "previous", "max_used_level");
    return m;
  }

  public static Map<String, Object> items(List<WorkItem> items) {
    return list("items", items, Views::item);
  }

  public static Map<String, Object> queueStats(QueueStats s) {
    return view(s, "pending", "claimed", "running", "completed", "failed", "timeout", "cancelled",
        "stale_token_rejections", "fenced_rejections", "backpressure_active", "pending_by_type");
  }

  public static Map<String, Object> digest(String nodeId, DigestResult d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", nodeId);
    ProtoFields.of(d).copy(m, "applied_index", "digest");
    return m;
  }

  public static Map<String, Object> node(NodeRecord n) {
    return unsetToNull(view(n, "node_id", "health", "roles", "capabilities", "last_heartbeat_ms", "blacklisted_until_ms",
        "blacklist_reason", "failure_count", "draining", "first_seen_ms", "resources", "daemon_states"),
        "last_heartbeat_ms", "blacklisted_until_ms", "blacklist_reason");
  }

  public static Map<String, Object> config(ConfigEntry e) {
    return view(e, "key", "value", "is_default", "description");
  }

  public static Map<String, Object> event(Event e) {
    return view(e, "seq", "type", "time_ms", "term", "subject", "message");
  }

  public static Map<String, Object> leader(LeaderRecord r) {
    return view(r, "term", "leader_id", "since_ms");
  }

  public static Map<String, Object> sync(SyncRecord r) {
    return unsetToNull(view(r, "sync_id", "status", "dataset", "file", "size_bytes", "bytes_done", "sha256",
        "source_node", "target_node", "method", "error", "planned_ms", "started_ms", "finished_ms"),
        "method", "error", "started_ms", "finished_ms");
  }

  public static Map<String, Object> daemon(DaemonInfo d) {
    Map<String, Object> m = view(d, "name", "scope", "state", "restarts", "last_error", "leader_term",
        "desired_enabled", "restarts_last_hour");
    m.put("scope", d.getScope().toLowerCase(Locale.ROOT));
    return unsetToNull(m, "last_error", "leader_term");
  }

  public static Map<String, Object> desired(DaemonDesired d) {
    return view(d, "name", "enabled", "changed_ms");
  }

  public static Map<String, Object> daemons(ListDaemonsResult r) {
    Map<String, Object> m = view(r, "node_id");
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
    m.put("next_after_session_id", r.getNextAfterSessionId());
    return unsetToNull(m, "next_after_session_id");
  }

  public static Map<String, Object> session(SessionInfo s, long nowMs) {
    Map<String, Object> m = unsetToNull(view(s, "session_id", "client_name", "last_seq", "acked_below", "results_held",
        "result_bytes", "opened_ms", "last_active_ms"), "client_name");
    m.put("idle_ms", Math.max(0, nowMs - s.getLastActiveMs()));
    return m;
  }

  /** The session counters of the replicated state (open and result_bytes are now; the rest since it began). */
  public static Map<String, Object> sessionTotals(ListSessionsResult r) {
    return view(r, "open", "dedupe_hits", "evicted", "expired", "result_bytes", "rejected_expired", "closed");
  }

  /** {@code {key: [view, ...]}}: the shape of every list answer. */
  public static <T> Map<String, Object> list(String key, List<T> values, Function<T, Map<String, Object>> view) {
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

  private static Map<String, Object> view(com.google.protobuf.MessageOrBuilder message, String... fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    ProtoFields.of(message).copy(m, fields);
    return m;
  }

  /** "min-max" of a node's feature levels; null for a node that predates them. */
  private static String levels(int min, int max) {
    return max == 0 ? null : min + "-" + max;
  }

  /** Unset values (empty text, zero) of {@code keys} become null: "none" rather than a made-up value. */
  private static Map<String, Object> unsetToNull(Map<String, Object> m, String... keys) {
    for (String key : keys) {
      Object v = m.get(key);
      if ("".equals(v) || Long.valueOf(0).equals(v) || Integer.valueOf(0).equals(v)) {
        m.put(key, null);
      }
    }
    return m;
  }
}
