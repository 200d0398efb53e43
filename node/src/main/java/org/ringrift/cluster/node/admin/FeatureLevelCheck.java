package org.ringrift.cluster.node.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.daemons.node.VersionReporter;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.FeatureLevelStatus;
import org.ringrift.cluster.proto.MemberFeatures;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.raft.RaftView;
import org.ringrift.cluster.statemachine.features.FeatureSupport;

/**
 * What every Raft member (voter or listener) supports, from the node registry its heartbeats
 * fill, and whether the feature level may move to a target: only when every member supports it.
 */
final class FeatureLevelCheck {
  private FeatureLevelCheck() {}

  static FeatureLevelStatus status(FeatureLevelResult level, List<RaftView.MemberView> members, List<NodeRecord> nodes,
      String binaryVersion, FeatureSupport self) {
    Map<String, NodeRecord> byId = new HashMap<>();
    nodes.forEach(n -> byId.put(n.getNodeId(), n));
    FeatureLevelStatus.Builder status = FeatureLevelStatus.newBuilder().setLevel(level)
        .setBinaryVersion(binaryVersion).setMinFeatureLevel(self.min()).setMaxFeatureLevel(self.max());
    for (RaftView.MemberView member : members) {
      MemberFeatures.Builder features = MemberFeatures.newBuilder().setNodeId(member.id())
          .setRole(member.voter() ? "VOTER" : "LISTENER");
      NodeRecord record = byId.get(member.id());
      if (record != null) {
        features.setBinaryVersion(record.getResourcesOrDefault(VersionReporter.VERSION_RESOURCE, ""));
        String levels = record.getResourcesOrDefault(VersionReporter.FEATURE_LEVELS_RESOURCE, "");
        if (!levels.isEmpty()) {
          try {
            FeatureSupport reported = FeatureSupport.parse(levels);
            features.setMinFeatureLevel(reported.min()).setMaxFeatureLevel(reported.max());
          } catch (IllegalArgumentException e) {
            // Left at 0-0: a report this build cannot read supports nothing it could check.
          }
        }
      }
      status.addMembers(features);
    }
    return status.build();
  }

  /** The members that do not support {@code target}, each with what it reported; empty when all do. */
  static List<String> unsupporting(FeatureLevelStatus status, int target) {
    List<String> missing = new ArrayList<>();
    for (MemberFeatures member : status.getMembersList()) {
      if (member.getMaxFeatureLevel() == 0) {
        missing.add(member.getNodeId() + " (reported no feature levels: no heartbeat yet, or a build from before "
            + "feature levels" + (member.getBinaryVersion().isEmpty() ? "" : ", binary " + member.getBinaryVersion())
            + ")");
      } else if (target < member.getMinFeatureLevel() || target > member.getMaxFeatureLevel()) {
        missing.add(member.getNodeId() + " (binary " + member.getBinaryVersion() + ", supports "
            + member.getMinFeatureLevel() + "-" + member.getMaxFeatureLevel() + ")");
      }
    }
    return missing;
  }
}
