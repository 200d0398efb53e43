package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rrctl nodes: the node registry (list, blacklist, unblacklist, drain). */
@Command(name = "nodes", footerHeading = "%nExamples:%n",
    footer = {"  rrctl nodes ls", "  rrctl nodes drain n3 && rrctl nodes drain n3 --off"},
    description = "The node registry.",
    subcommands = {NodesCommand.Ls.class, NodesCommand.Blacklist.class, NodesCommand.Unblacklist.class, NodesCommand.Drain.class})
final class NodesCommand {
  @Command(name = "ls", footerHeading = "%nExamples:%n",
  footer = {"  rrctl nodes ls", "  rrctl -o json nodes ls | jq '.nodes[] | select(.health != \"alive\")'"},
   description = "Every known node: health, last heartbeat, blacklist, failures.")
  static final class Ls extends ClientCommand {
    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("nodes", client.listNodes(), Views::node), "nodes",
          List.of("node_id", "health", "last_heartbeat_ms", "failure_count", "blacklisted_until_ms", "draining"));
    }
  }

  @Command(name = "blacklist", footerHeading = "%nExamples:%n",
  footer = {"  rrctl nodes blacklist n3 --duration-ms 600000 --reason 'bad GPU'"},
   description = "Stop a node from claiming work for a while.")
  static final class Blacklist extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NODE") String nodeId;

    @Option(names = "--duration-ms", defaultValue = "0",
        description = "How long (0: nodes.blacklist_base_ms times the node's failure count).")
    long durationMs;

    @Option(names = "--reason", defaultValue = "", description = "Why.")
    String reason;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.node(client.blacklistNode(BlacklistNodeRequest.newBuilder().setNodeId(nodeId)
          .setDurationMs(durationMs).setReason(reason).build())));
    }
  }

  @Command(name = "unblacklist", footerHeading = "%nExamples:%n",
  footer = {"  rrctl nodes unblacklist n3"},
   description = "Let a node claim again and reset its failure count.")
  static final class Unblacklist extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NODE") String nodeId;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.node(client.unblacklistNode(nodeId)));
    }
  }

  @Command(name = "drain", footerHeading = "%nExamples:%n",
  footer = {"  rrctl nodes drain n3", "  rrctl nodes drain n3 --off"},
   description = "Stop a node from claiming new work (--off to undo).")
  static final class Drain extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NODE") String nodeId;

    @Option(names = "--off", description = "Undrain.") boolean off;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.node(client.drainNode(nodeId, !off)));
    }
  }
}
