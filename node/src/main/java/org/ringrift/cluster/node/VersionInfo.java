package org.ringrift.cluster.node;

import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.raft.RaftNode;

/** The apply_halted alert: this node stopped applying the log because its binary is too old for it. */
final class VersionInfo {
  static final String APPLY_HALTED = org.ringrift.cluster.node.monitor.AlertCatalog.APPLY_HALTED;

  private VersionInfo() {}

  static Alert haltAlert(RaftNode raft) {
    return raft.applyHalted()
        .map(reason -> Alert.newBuilder().setName(APPLY_HALTED).setFiring(true)
            .setDetail("node " + raft.id() + " " + reason).build())
        .orElseGet(() -> Alert.newBuilder().setName(APPLY_HALTED).setFiring(false)
            .setDetail("node " + raft.id() + " applies feature levels " + raft.features()).build());
  }
}
