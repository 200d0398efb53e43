package org.ringrift.cluster.statemachine.nodes;

import java.util.Map;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.ListNodesResult;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.SetNodeHealthRequest;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;

/** The node registry: heartbeats, health judged by the leader, blacklist and drain. */
public final class NodeCommands {
  private static final int MAX_ID = 128;
  private static final int MAX_LIST = 64;
  private static final int MAX_MAP_ENTRIES = 64;
  private static final int MAX_VALUE = 256;
  private static final int MAX_NODES = 10_000;

  public void check(HeartbeatRequest request) {
    nodeId(request.getNodeId());
    list("roles", request.getRolesCount());
    list("capabilities", request.getCapabilitiesCount());
    map("resources", request.getResourcesMap());
    map("daemon_states", request.getDaemonStatesMap());
    if (request.getManifestIncluded()) {
      org.ringrift.cluster.statemachine.sync.ManifestChecks.check(request.getDatasetsList(), request.getManifestDigest());
    } else if (request.getDatasetsCount() > 0) {
      throw Rejections.invalid("datasets", "are only read with manifest_included");
    }
  }

  public NodeRecord heartbeat(ApplyContext ctx, HeartbeatRequest request) {
    check(request);
    NodeStore store = new NodeStore(ctx.batch());
    NodeRecord existing = store.find(request.getNodeId()).orElse(null);
    NodeRecord.Builder node = existing == null
        ? NodeRecord.newBuilder().setNodeId(request.getNodeId()).setFirstSeenMs(ctx.nowMs())
        : existing.toBuilder();
    if (existing == null) {
      ctx.events().append(EventTypes.NODE_JOINED, request.getNodeId(), "first heartbeat");
    } else if (existing.getHealth() == NodeHealth.NODE_HEALTH_SUSPECT || existing.getHealth() == NodeHealth.NODE_HEALTH_DEAD) {
      ctx.events().append(EventTypes.NODE_RECOVERED, request.getNodeId(), "heartbeat after "
          + existing.getHealth().name().substring("NODE_HEALTH_".length()).toLowerCase(java.util.Locale.ROOT));
    }
    NodeRecord updated = node.clearRoles().addAllRoles(request.getRolesList())
        .clearCapabilities().addAllCapabilities(request.getCapabilitiesList())
        .clearResources().putAllResources(request.getResourcesMap())
        .clearDaemonStates().putAllDaemonStates(request.getDaemonStatesMap())
        .setLastHeartbeatMs(ctx.nowMs()).setHealth(NodeHealth.NODE_HEALTH_ALIVE).build();
    if (request.getManifestIncluded()) {
      updated = updated.toBuilder().clearDatasets().addAllDatasets(request.getDatasetsList())
          .setManifestDigest(request.getManifestDigest()).setManifestMs(ctx.nowMs()).build();
    }
    store.put(updated);
    return updated;
  }

  public void check(SetNodeHealthRequest request) {
    nodeId(request.getNodeId());
    if (request.getHealth() == NodeHealth.NODE_HEALTH_UNSPECIFIED || request.getHealth() == NodeHealth.UNRECOGNIZED) {
      throw Rejections.invalid("health", "must be alive, suspect or dead");
    }
  }

  public NodeRecord setHealth(ApplyContext ctx, SetNodeHealthRequest request) {
    check(request);
    NodeStore store = new NodeStore(ctx.batch());
    NodeRecord node = require(store, request.getNodeId());
    if (node.getHealth() == request.getHealth()) {
      return node;
    }
    NodeRecord updated = node.toBuilder().setHealth(request.getHealth()).build();
    store.put(updated);
    switch (request.getHealth()) {
      case NODE_HEALTH_SUSPECT -> ctx.events().append(EventTypes.NODE_SUSPECT, node.getNodeId(), "heartbeat is late");
      case NODE_HEALTH_DEAD -> ctx.events().append(EventTypes.NODE_DEAD, node.getNodeId(), "heartbeat is missing");
      default -> ctx.events().append(EventTypes.NODE_RECOVERED, node.getNodeId(), "judged alive");
    }
    return updated;
  }

  public void check(BlacklistNodeRequest request) {
    nodeId(request.getNodeId());
    if (request.getDurationMs() < 0 || request.getDurationMs() > 30L * 24 * 3_600_000) {
      throw Rejections.invalid("duration_ms", request.getDurationMs() + " is out of range 0-" + (30L * 24 * 3_600_000));
    }
    if (request.getReason().length() > MAX_VALUE) {
      throw Rejections.invalid("reason", "is limited to " + MAX_VALUE + " characters");
    }
  }

  /** Blacklists a node; a zero duration scales the base period by the node's failure count. */
  public NodeRecord blacklist(ApplyContext ctx, BlacklistNodeRequest request) {
    check(request);
    NodeStore store = new NodeStore(ctx.batch());
    NodeRecord node = store.find(request.getNodeId()).orElseGet(() -> NodeRecord.newBuilder()
        .setNodeId(request.getNodeId()).setFirstSeenMs(ctx.nowMs()).build());
    long duration = request.getDurationMs() != 0
        ? request.getDurationMs()
        : ctx.config().get(ConfigKeys.BLACKLIST_BASE_MS) * Math.max(1, node.getFailureCount());
    String reason = request.getReason().isEmpty() ? "blacklisted" : request.getReason();
    NodeRecord updated = node.toBuilder().setBlacklistedUntilMs(ctx.nowMs() + duration).setBlacklistReason(reason).build();
    store.put(updated);
    ctx.events().append(EventTypes.NODE_BLACKLISTED, node.getNodeId(), reason + " for " + duration + " ms");
    return updated;
  }

  public NodeRecord unblacklist(ApplyContext ctx, UnblacklistNodeRequest request) {
    nodeId(request.getNodeId());
    NodeStore store = new NodeStore(ctx.batch());
    NodeRecord node = require(store, request.getNodeId());
    NodeRecord updated = node.toBuilder().setBlacklistedUntilMs(0).setBlacklistReason("").setFailureCount(0).build();
    store.put(updated);
    ctx.events().append(EventTypes.NODE_UNBLACKLISTED, node.getNodeId(), "failure count reset");
    return updated;
  }

  public NodeRecord drain(ApplyContext ctx, DrainNodeRequest request) {
    nodeId(request.getNodeId());
    NodeStore store = new NodeStore(ctx.batch());
    NodeRecord node = require(store, request.getNodeId());
    NodeRecord updated = node.toBuilder().setDraining(request.getDraining()).build();
    store.put(updated);
    ctx.events().append(EventTypes.NODE_DRAINING, node.getNodeId(), request.getDraining() ? "draining" : "undrained");
    return updated;
  }

  public ListNodesResult list(Batch view) {
    ListNodesResult.Builder result = ListNodesResult.newBuilder();
    try (Cursor cursor = view.seek(Family.NODES, new byte[0])) {
      for (int n = 0; cursor.valid() && n < MAX_NODES; cursor.next(), n++) {
        result.addNodes(NodeStore.decode(cursor.value()));
      }
    }
    return result.build();
  }

  private static NodeRecord require(NodeStore store, String nodeId) {
    return store.find(nodeId).orElseThrow(() -> Rejections.notFound("node_id", "no node " + nodeId));
  }

  public static void nodeId(String nodeId) {
    nodeId("node_id", nodeId);
  }

  /** A node id in the request field {@code field}, which a rejection names. */
  public static void nodeId(String field, String nodeId) {
    if (nodeId.isEmpty()) {
      throw Rejections.invalid(field, "is required");
    }
    if (nodeId.length() > MAX_ID || !nodeId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw Rejections.invalid(field, "must be printable ASCII without spaces, at most " + MAX_ID + " characters");
    }
  }

  private static void list(String field, int size) {
    if (size > MAX_LIST) {
      throw Rejections.invalid(field, size + " entries is over the limit of " + MAX_LIST);
    }
  }

  private static void map(String field, Map<String, String> values) {
    if (values.size() > MAX_MAP_ENTRIES) {
      throw Rejections.invalid(field, values.size() + " entries is over the limit of " + MAX_MAP_ENTRIES);
    }
    for (Map.Entry<String, String> entry : values.entrySet()) {
      if (entry.getKey().length() > MAX_ID || entry.getValue().length() > MAX_VALUE) {
        throw Rejections.invalid(field, "keys are limited to " + MAX_ID + " and values to " + MAX_VALUE + " characters");
      }
    }
  }
}
