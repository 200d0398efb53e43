package org.ringrift.cluster.statemachine.nodes;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Family;

/** Node records by id. */
public final class NodeStore {
  private final Batch batch;

  public NodeStore(Batch batch) {
    this.batch = batch;
  }

  public Optional<NodeRecord> find(String nodeId) {
    byte[] raw = batch.get(Family.NODES, key(nodeId));
    return raw == null ? Optional.empty() : Optional.of(decode(raw));
  }

  public void put(NodeRecord node) {
    batch.put(Family.NODES, key(node.getNodeId()), node.toByteArray());
  }

  /** Counts a failed or expired lease against the node it ran on; the reaper decides what follows. */
  public void chargeFailure(ApplyContext ctx, String nodeId) {
    if (nodeId.isEmpty()) {
      return;
    }
    NodeRecord node = find(nodeId).orElseGet(() -> NodeRecord.newBuilder().setNodeId(nodeId)
        .setFirstSeenMs(ctx.nowMs()).setHealth(NodeHealth.NODE_HEALTH_UNSPECIFIED).build());
    put(node.toBuilder().setFailureCount(node.getFailureCount() + 1).build());
  }

  static byte[] key(String nodeId) {
    return nodeId.getBytes(StandardCharsets.UTF_8);
  }

  static NodeRecord decode(byte[] raw) {
    try {
      return NodeRecord.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt node record in store", e);
    }
  }
}
