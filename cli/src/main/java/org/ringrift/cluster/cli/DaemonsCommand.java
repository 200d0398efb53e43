package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rrctl daemons: list, enable, disable and restart daemons. */
@Command(name = "daemons", footerHeading = "%nExamples:%n",
    footer = {"  rrctl daemons ls --all", "  rrctl daemons stop queue_populator", "  rrctl daemons restart heartbeat"},
    description = "Daemons: ls shows the answering node's view; start and stop are "
    + "cluster-wide and survive failovers; restart is on the answering node.",
    subcommands = {DaemonsCommand.Ls.class, DaemonsCommand.Start.class, DaemonsCommand.Stop.class, DaemonsCommand.Restart.class})
final class DaemonsCommand {
  @Command(name = "ls", footerHeading = "%nExamples:%n",
  footer = {"  rrctl daemons ls", "  rrctl -o json daemons ls --all"},
   description = "Every daemon on the answering node: scope, state, restarts, last error.")
  static final class Ls extends ClientCommand {
    @Option(names = "--all", description = {"Every endpoint's node in one table with a NODE column; json: a list "
        + "of objects with node_id and its daemons.", "All endpoints are asked at once within --timeout; exit 3 "
        + "when none answers."})
    boolean all;

    private static final List<String> COLUMNS =
        List.of("name", "scope", "state", "restarts", "leader_term", "desired_enabled", "last_error");

    @Override
    void run(ClusterClient client, Printer printer) {
      if (!all) {
        printer.rows(Views.daemons(client.listDaemons(Answering.endpoint(client))), "daemons", COLUMNS);
        return;
      }
      java.time.Duration timeout = timeout();
      List<EveryNode.Answer<org.ringrift.cluster.proto.ListDaemonsResult>> answers =
          EveryNode.ask(client, timeout, client::listDaemons);
      List<java.util.Map<String, Object>> nodes = new java.util.ArrayList<>();
      List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
      for (EveryNode.Answer<org.ringrift.cluster.proto.ListDaemonsResult> answer : answers) {
        String nodeId = answer.reachable() ? answer.value().getNodeId() : null;
        java.util.Map<String, Object> node = EveryNode.head(nodeId, answer);
        if (answer.reachable()) {
          List<java.util.Map<String, Object>> daemons =
              answer.value().getDaemonsList().stream().map(Views::daemon).toList();
          node.put("daemons", daemons);
          for (java.util.Map<String, Object> daemon : daemons) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("node", nodeId);
            row.putAll(daemon);
            rows.add(row);
          }
        } else {
          java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
          row.put("node", answer.endpoint().toString());
          row.put("state", "unreachable");
          row.put("last_error", answer.error());
          rows.add(row);
        }
        nodes.add(node);
      }
      if (printer.isJson()) {
        printer.perNode(nodes, List.of());
      } else {
        List<String> columns = new java.util.ArrayList<>(List.of("node"));
        columns.addAll(COLUMNS);
        printer.perNode(rows, columns);
      }
      EveryNode.requireOneAnswer(answers, timeout);
    }
  }

  @Command(name = "start", footerHeading = "%nExamples:%n",
  footer = {"  rrctl daemons start queue_populator"},
   description = "Enable a daemon cluster-wide.")
  static final class Start extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.desired(client.setDaemonDesired(name, true)));
    }
  }

  @Command(name = "stop", footerHeading = "%nExamples:%n",
  footer = {"  rrctl daemons stop queue_populator"},
   description = "Disable a daemon cluster-wide; it stays stopped across failovers.")
  static final class Stop extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.desired(client.setDaemonDesired(name, false)));
    }
  }

  @Command(name = "restart", footerHeading = "%nExamples:%n",
  footer = {"  rrctl --endpoint 127.0.0.1:9771 daemons restart worker_agent"},
   description = "Restart a daemon on the answering node, clearing its crash history.")
  static final class Restart extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.daemon(client.restartDaemon(Answering.endpoint(client), name)));
    }
  }
}
