package org.ringrift.cluster.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.client.Endpoint;
import org.ringrift.cluster.client.views.Views;
import org.ringrift.cluster.proto.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", footerHeading = "%nExamples:%n",
    footer = {"  rrctl status", "  rrctl status --all", "  rrctl -o json status | jq .leader_id"},
     description = "The answering node's view: leader, term, role, indexes, peers, alerts.")
final class StatusCommand extends ClientCommand {
  @Option(names = "--all", description = "Every endpoint's own view side by side, so disagreement shows at a glance.")
  boolean all;

  @Override
  void run(ClusterClient client, Printer printer) {
    if (!all) {
      printer.object(Views.status(client.status()));
      return;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    long maxCommit = 0;
    List<NodeStatus> answers = new ArrayList<>();
    for (Endpoint endpoint : client.endpoints()) {
      try {
        NodeStatus status = client.statusOf(endpoint);
        answers.add(status);
        maxCommit = Math.max(maxCommit, status.getCommitIndex());
      } catch (ClusterException e) {
        answers.add(null);
      }
    }
    for (int i = 0; i < answers.size(); i++) {
      NodeStatus status = answers.get(i);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("endpoint", client.endpoints().get(i).toString());
      if (status == null) {
        row.put("node_id", null);
        row.put("reachable", false);
      } else {
        row.put("node_id", status.getNodeId());
        row.put("reachable", true);
        row.put("role", status.getRole());
        row.put("leader_id", status.getLeaderId().isEmpty() ? null : status.getLeaderId());
        row.put("term", status.getTerm());
        row.put("applied_index", status.getAppliedIndex());
        row.put("lag", maxCommit - status.getAppliedIndex());
        row.put("alerts_firing", status.getAlertsList().stream().filter(a -> a.getFiring()).count());
        row.put("version", status.getBinaryVersion().isEmpty() ? null : status.getBinaryVersion());
        row.put("levels", status.getMaxFeatureLevel() == 0 ? null
            : status.getMinFeatureLevel() + "-" + status.getMaxFeatureLevel());
        row.put("feature_level", status.getFeatureLevel() == 0 ? null : status.getFeatureLevel());
        row.put("apply_halted", !status.getApplyHalted().isEmpty());
      }
      rows.add(row);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("nodes", rows);
    printer.rows(view, "nodes",
        List.of("endpoint", "node_id", "reachable", "role", "leader_id", "term", "applied_index", "lag", "alerts_firing",
            "version", "levels", "feature_level", "apply_halted"));
  }
}
