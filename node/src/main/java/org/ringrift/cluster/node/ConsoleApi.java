package org.ringrift.cluster.node;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.node.auth.Authorization;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListMembersRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.RestartDaemonRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

/**
 * The console's JSON API on the HTTP port. Every route names the admin RPC(s) it runs; the caller
 * must be allowed each of them by the admin API's own {@link Authorization}, and the route then
 * calls the same {@link AdminService} method in-process, so checks, rejections and messages are
 * the admin API's. Writes are sent once; the answer (or the rejection) goes back to the page.
 */
final class ConsoleApi {
  static final int MAX_LIMIT = 500;
  private static final int ITEM_HISTORY_SCAN = 1000;

  private final String nodeId;
  private final AdminService admin;
  private final Optional<Authorization> authorization;
  private final PeerReads peers;

  /** {@code authorization} empty: a plaintext node, where the admin port authorizes nobody either. */
  ConsoleApi(String nodeId, AdminService admin, Optional<Authorization> authorization, PeerReads peers) {
    this.nodeId = nodeId;
    this.admin = admin;
    this.authorization = authorization;
    this.peers = peers;
  }

  /** Answers {@code /api/...}; never throws (bad input and refusals are answers). */
  CompletableFuture<ConsoleAnswer> handle(boolean post, String path, Map<String, List<String>> params,
      ConsoleCaller caller) {
    try {
      CompletableFuture<ConsoleAnswer> answer = post ? write(path, new Params(params), caller)
          : read(path, new Params(params), caller);
      return answer.exceptionally(ConsoleAnswer::of);
    } catch (BadParam bad) {
      return CompletableFuture.completedFuture(ConsoleAnswer.badRequest(bad.getMessage()));
    } catch (Refused refused) {
      return CompletableFuture.completedFuture(ConsoleAnswer.of(refused.status.asRuntimeException()));
    }
  }

  /** The permission check the SSE event stream needs (WatchEvents). Empty: allowed. */
  Optional<ConsoleAnswer> refusal(MethodDescriptor<?, ?> method, ConsoleCaller caller) {
    try {
      allow(caller, method);
      return Optional.empty();
    } catch (Refused refused) {
      return Optional.of(ConsoleAnswer.of(refused.status.asRuntimeException()));
    }
  }

  private CompletableFuture<ConsoleAnswer> read(String path, Params p, ConsoleCaller caller) {
    return switch (path) {
      case "/api/whoami" -> CompletableFuture.completedFuture(ConsoleAnswer.ok(whoami(caller)));
      case "/api/cluster" -> {
        allow(caller, AdminServiceGrpc.getStatusMethod(), AdminServiceGrpc.getListMembersMethod(),
            AdminServiceGrpc.getLeaderHistoryMethod(), AdminServiceGrpc.getGetDigestMethod());
        yield cluster();
      }
      case "/api/queue/stats" -> {
        allow(caller, AdminServiceGrpc.getGetQueueStatsMethod());
        yield ConsoleCalls.call(admin::getQueueStats, QueueStatsRequest.getDefaultInstance())
            .thenApply(s -> ConsoleAnswer.ok(queueStats(s)));
      }
      case "/api/queue/items" -> {
        allow(caller, AdminServiceGrpc.getListItemsMethod());
        yield items(p);
      }
      case "/api/queue/item" -> {
        allow(caller, AdminServiceGrpc.getGetItemMethod(), AdminServiceGrpc.getRecentEventsMethod());
        yield item(p.required("id"));
      }
      case "/api/nodes" -> {
        allow(caller, AdminServiceGrpc.getListNodesMethod());
        yield ConsoleCalls.call(admin::listNodes, ListNodesRequest.getDefaultInstance())
            .thenApply(r -> ConsoleAnswer.ok(Views.list("nodes", r.getNodesList(), Views::node)));
      }
      case "/api/daemons" -> {
        allow(caller, AdminServiceGrpc.getListDaemonsMethod(), AdminServiceGrpc.getListDaemonDesiredMethod());
        yield daemons();
      }
      case "/api/events" -> {
        allow(caller, AdminServiceGrpc.getRecentEventsMethod());
        RecentEventsRequest.Builder request = RecentEventsRequest.newBuilder().setLimit(p.limit(100))
            .setAfterSeq(p.longValue("after", 0)).setType(p.optional("type").orElse(""));
        yield ConsoleCalls.call(admin::recentEvents, request.build())
            .thenApply(r -> ConsoleAnswer.ok(Views.list("events", r.getEventsList(), Views::event)));
      }
      case "/api/sync" -> {
        allow(caller, AdminServiceGrpc.getSyncHistoryMethod());
        yield ConsoleCalls.call(admin::syncHistory, SyncHistoryRequest.newBuilder().setLimit(p.limit(50)).build())
            .thenApply(r -> ConsoleAnswer.ok(Views.list("records", r.getRecordsList(), Views::sync)));
      }
      default -> CompletableFuture.completedFuture(ConsoleAnswer.error(404, "NOT_FOUND", "no such API path: " + path));
    };
  }

  private CompletableFuture<ConsoleAnswer> write(String path, Params p, ConsoleCaller caller) {
    return switch (path) {
      case "/api/queue/redrive" -> {
        allow(caller, AdminServiceGrpc.getRedriveMethod());
        yield ConsoleCalls.call(admin::redrive, RedriveRequest.newBuilder().addAllItemIds(p.all("id")).build())
            .thenApply(r -> ConsoleAnswer.ok(Views.items(r.getItemsList())));
      }
      case "/api/queue/cancel" -> {
        allow(caller, AdminServiceGrpc.getCancelMethod());
        yield ConsoleCalls.call(admin::cancel, CancelRequest.newBuilder().setItemId(p.required("id"))
            .setReason(p.optional("reason").orElse("cancelled from the console")).build())
            .thenApply(r -> ConsoleAnswer.ok(Views.item(r.getItem())));
      }
      case "/api/nodes/blacklist" -> {
        allow(caller, AdminServiceGrpc.getBlacklistNodeMethod());
        yield ConsoleCalls.call(admin::blacklistNode, BlacklistNodeRequest.newBuilder().setNodeId(p.required("node"))
            .setDurationMs(p.longValue("duration_ms", 3_600_000))
            .setReason(p.optional("reason").orElse("blacklisted from the console")).build())
            .thenApply(r -> ConsoleAnswer.ok(Views.node(r.getNode())));
      }
      case "/api/nodes/unblacklist" -> {
        allow(caller, AdminServiceGrpc.getUnblacklistNodeMethod());
        yield ConsoleCalls.call(admin::unblacklistNode, UnblacklistNodeRequest.newBuilder()
            .setNodeId(p.required("node")).build()).thenApply(r -> ConsoleAnswer.ok(Views.node(r.getNode())));
      }
      case "/api/nodes/drain" -> {
        allow(caller, AdminServiceGrpc.getDrainNodeMethod());
        yield ConsoleCalls.call(admin::drainNode, DrainNodeRequest.newBuilder().setNodeId(p.required("node"))
            .setDraining(p.bool("draining")).build()).thenApply(r -> ConsoleAnswer.ok(Views.node(r.getNode())));
      }
      case "/api/daemons/desired" -> {
        allow(caller, AdminServiceGrpc.getSetDaemonDesiredMethod());
        yield ConsoleCalls.call(admin::setDaemonDesired, SetDaemonDesiredRequest.newBuilder()
            .setName(p.required("name")).setEnabled(p.bool("enabled")).build())
            .thenApply(r -> ConsoleAnswer.ok(Views.desired(r)));
      }
      case "/api/daemons/restart" -> {
        allow(caller, AdminServiceGrpc.getRestartDaemonMethod());
        yield ConsoleCalls.call(admin::restartDaemon, RestartDaemonRequest.newBuilder().setName(p.required("name"))
            .build()).thenApply(r -> ConsoleAnswer.ok(Views.daemon(r)));
      }
      default -> CompletableFuture.completedFuture(ConsoleAnswer.error(404, "NOT_FOUND", "no such API action: " + path));
    };
  }

  private void allow(ConsoleCaller caller, MethodDescriptor<?, ?>... methods) {
    if (authorization.isEmpty()) {
      return;
    }
    for (MethodDescriptor<?, ?> method : methods) {
      Authorization.Decision decision = authorization.get().decide(caller.identity(), method.getFullMethodName(),
          method.getBareMethodName());
      if (!decision.allowed()) {
        Status status = decision.refusal().get();
        throw new Refused(caller.tlsNode() && !caller.https() ? status.withDescription(status.getDescription()
            + " (this node runs TLS: open the console over https:// with a client certificate)") : status);
      }
    }
  }

  private Map<String, Object> whoami(ConsoleCaller caller) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", nodeId);
    m.put("tls", caller.tlsNode());
    m.put("caller", caller.describe());
    m.put("role", caller.identity().map(i -> i.role().label()).orElse(caller.tlsNode() ? null : "any"));
    return m;
  }

  // ---- cluster page ----

  private CompletableFuture<ConsoleAnswer> cluster() {
    CompletableFuture<NodeStatus> self = ConsoleCalls.call(admin::status, StatusRequest.getDefaultInstance());
    CompletableFuture<List<Member>> members = ConsoleCalls.call(admin::listMembers,
        ListMembersRequest.getDefaultInstance()).thenApply(r -> r.getMembersList());
    CompletableFuture<List<Map<String, Object>>> history = ConsoleCalls.call(admin::leaderHistory,
        LeaderHistoryRequest.newBuilder().setLimit(20).build())
        .thenApply(r -> r.getLeadersList().stream().map(Views::leader).toList())
        .exceptionally(e -> List.of())
        // A linearizable read waits for a leader; during an election the page still shows the rest.
        .completeOnTimeout(List.of(), PeerReads.DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    Map<String, String> addresses = peers.addresses();
    return self.thenCombine(members, (s, m) -> new Object[] {s, m}).thenCompose(pair -> {
      NodeStatus selfStatus = (NodeStatus) pair[0];
      @SuppressWarnings("unchecked")
      List<Member> memberList = (List<Member>) pair[1];
      List<CompletableFuture<Map<String, Object>>> rows = new ArrayList<>();
      for (Member member : memberList) {
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
    CompletableFuture<org.ringrift.cluster.proto.DigestResult> digest;
    if (member.getId().equals(nodeId)) {
      status = CompletableFuture.completedFuture(selfStatus);
      digest = ConsoleCalls.call(admin::getDigest, DigestRequest.getDefaultInstance())
          .completeOnTimeout(null, PeerReads.DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
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

  // ---- queue page ----

  private static Map<String, Object> queueStats(org.ringrift.cluster.proto.QueueStats s) {
    Map<String, Object> m = Views.queueStats(s);
    m.put("time_ms", System.currentTimeMillis());
    return m;
  }

  private CompletableFuture<ConsoleAnswer> items(Params p) {
    ListItemsRequest.Builder request = ListItemsRequest.newBuilder().setLimit(p.limit(50))
        .setAfterId(p.optional("after").orElse(""));
    p.optional("state").ifPresent(state -> request.addStates(p.enumValue("state", state, WorkState.class, "WORK_STATE_")));
    p.optional("type").ifPresent(type -> request.setType(p.enumValue("type", type, WorkType.class, "WORK_TYPE_")));
    Optional<String> worker = p.optional("worker");
    Optional<String> text = p.optional("q");
    return ConsoleCalls.call(admin::listItems, request.build()).thenApply(r -> {
      List<WorkItem> page = r.getItemsList().stream()
          .filter(i -> worker.isEmpty() || i.getClaimedBy().contains(worker.get()) || i.getClaimedNode().contains(worker.get()))
          .filter(i -> text.isEmpty() || i.getId().contains(text.get()))
          .toList();
      Map<String, Object> body = Views.items(page);
      body.put("next_after_id", r.getNextAfterId().isEmpty() ? null : r.getNextAfterId());
      body.put("scanned", r.getItemsCount());
      return ConsoleAnswer.ok(body);
    });
  }

  private CompletableFuture<ConsoleAnswer> item(String id) {
    CompletableFuture<List<Event>> history = ConsoleCalls.call(admin::recentEvents,
        RecentEventsRequest.newBuilder().setLimit(ITEM_HISTORY_SCAN).build())
        .thenApply(r -> r.getEventsList().stream().filter(e -> e.getSubject().equals(id)).toList());
    return ConsoleCalls.call(admin::getItem, GetItemRequest.newBuilder().setItemId(id).build())
        .thenCombine(history, (r, events) -> {
          if (!r.hasItem()) {
            return ConsoleAnswer.error(404, "NOT_FOUND", "id: no item '" + id + "'");
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("item", Views.item(r.getItem()));
          body.put("events", events.stream().map(Views::event).toList());
          body.put("events_scanned", ITEM_HISTORY_SCAN);
          return ConsoleAnswer.ok(body);
        });
  }

  // ---- daemons page ----

  private CompletableFuture<ConsoleAnswer> daemons() {
    CompletableFuture<Map<String, Object>> desired = ConsoleCalls.call(admin::listDaemonDesired,
        ListDaemonDesiredRequest.getDefaultInstance())
        .thenApply(r -> Views.list("desired", r.getDaemonsList(), Views::desired));
    Map<String, String> addresses = new TreeMap<>(peers.addresses());
    addresses.remove(nodeId);
    List<CompletableFuture<Map<String, Object>>> perNode = new ArrayList<>();
    perNode.add(ConsoleCalls.call(admin::listDaemons, ListDaemonsRequest.getDefaultInstance()).thenApply(Views::daemons));
    addresses.forEach((id, address) -> perNode.add(peers.daemons(address).thenApply(Views::daemons)
        .exceptionally(error -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("node_id", id);
          m.put("error", ((Map<?, ?>) ConsoleAnswer.of(error).body()).get("error"));
          m.put("daemons", List.of());
          return m;
        })));
    return CompletableFuture.allOf(perNode.toArray(CompletableFuture[]::new)).thenCombine(desired, (ignored, d) -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("node_id", nodeId);
      body.put("nodes", perNode.stream().map(CompletableFuture::join).toList());
      body.put("desired", d.get("desired"));
      return ConsoleAnswer.ok(body);
    });
  }

  // ---- parameters ----

  private static final class BadParam extends RuntimeException {
    BadParam(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Refused extends RuntimeException {
    final Status status;

    Refused(Status status) {
      super(status.getDescription(), null, false, false);
      this.status = status;
    }
  }

  /** Query parameters, each checked with a message naming it and its limit. */
  private record Params(Map<String, List<String>> values) {
    private static final int MAX_VALUE = 256;
    private static final int MAX_VALUES = 100;

    Optional<String> optional(String name) {
      List<String> all = values.getOrDefault(name, List.of());
      if (all.isEmpty() || all.get(0).isBlank()) {
        return Optional.empty();
      }
      return Optional.of(check(name, all.get(0)));
    }

    String required(String name) {
      return optional(name).orElseThrow(() -> new BadParam(name + ": required"));
    }

    List<String> all(String name) {
      List<String> all = values.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).toList();
      if (all.isEmpty()) {
        throw new BadParam(name + ": give at least one");
      }
      if (all.size() > MAX_VALUES) {
        throw new BadParam(name + ": " + all.size() + " values, at most " + MAX_VALUES);
      }
      all.forEach(v -> check(name, v));
      return all;
    }

    int limit(int fallback) {
      long limit = longValue("limit", fallback);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new BadParam("limit: " + limit + " is out of range 1-" + MAX_LIMIT);
      }
      return (int) limit;
    }

    long longValue(String name, long fallback) {
      Optional<String> text = optional(name);
      if (text.isEmpty()) {
        return fallback;
      }
      try {
        long value = Long.parseLong(text.get());
        if (value < 0) {
          throw new BadParam(name + ": " + value + " must be >= 0");
        }
        return value;
      } catch (NumberFormatException e) {
        throw new BadParam(name + ": '" + text.get() + "' is not a whole number");
      }
    }

    boolean bool(String name) {
      String text = required(name);
      return switch (text) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new BadParam(name + ": '" + text + "' is not true or false");
      };
    }

    <E extends Enum<E>> E enumValue(String name, String text, Class<E> type, String prefix) {
      String wanted = prefix + text.toUpperCase(Locale.ROOT);
      List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name)
          .filter(n -> n.startsWith(prefix) && !n.endsWith("UNSPECIFIED"))
          .map(n -> n.substring(prefix.length()).toLowerCase(Locale.ROOT)).toList();
      return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(wanted) && allowed.contains(
          text.toLowerCase(Locale.ROOT))).findFirst()
          .orElseThrow(() -> new BadParam(name + ": '" + text + "' is not one of " + allowed));
    }

    private static String check(String name, String value) {
      if (value.length() > MAX_VALUE) {
        throw new BadParam(name + ": " + value.length() + " characters, at most " + MAX_VALUE);
      }
      return value;
    }
  }
}
