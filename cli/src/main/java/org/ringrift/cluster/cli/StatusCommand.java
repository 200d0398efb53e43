package org.ringrift.cluster.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", footerHeading = "%nExamples:%n",
    footer = {"  rrctl status", "  rrctl status --all", "  rrctl -o json status | jq .leader_id"},
     description = "The answering node's view: leader, term, role, indexes, peers, alerts.")
final class StatusCommand extends ClientCommand {
  @Option(names = "--all", description = {"Every endpoint's own view side by side, so disagreement shows at a glance: "
      + "one row per node; json: a list of objects with node_id.",
      "All endpoints are asked at once within --timeout; exit 3 when none answers."})
  boolean all;

  @Override
  void run(ClusterClient client, Printer printer) {
    if (!all) {
      printer.object(Views.status(client.status()));
      return;
    }
    java.time.Duration timeout = timeout();
    List<EveryNode.Answer<NodeStatus>> answers = EveryNode.ask(client, timeout, client::statusOf);
    long maxCommit = answers.stream().filter(EveryNode.Answer::reachable)
        .mapToLong(a -> a.value().getCommitIndex()).max().orElse(0);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EveryNode.Answer<NodeStatus> answer : answers) {
      NodeStatus status = answer.value();
      Map<String, Object> row = EveryNode.head(status == null ? null : status.getNodeId(), answer);
      if (status != null) {
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
    printer.perNode(rows,
        List.of("node_id", "endpoint", "reachable", "role", "leader_id", "term", "applied_index", "lag", "alerts_firing",
            "version", "levels", "feature_level", "apply_halted"));
    EveryNode.requireOneAnswer(answers, timeout);
  }
}
