package org.ringrift.cluster.cli;

import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import picocli.CommandLine.Command;

/** rrctl snapshot: Raft snapshots on demand. */
@Command(name = "snapshot", description = "Raft snapshots.", subcommands = {SnapshotCommand.Take.class},
    footerHeading = "%nExamples:%n", footer = {"  rrctl --endpoint 127.0.0.1:9771 snapshot take"})
final class SnapshotCommand {
  @Command(name = "take", description = {"Make the first reachable node snapshot its state now.",
      "Prints the index the snapshot covers; the log before it can then be purged."},
      footerHeading = "%nExamples:%n", footer = {"  rrctl snapshot take", "  rrctl --timeout 1m snapshot take"})
  static final class Take extends ClientCommand {
    @Override
    void run(ClusterClient client, Printer printer) {
      Endpoint answering = Answering.endpoint(client);
      String nodeId = client.statusOf(answering).getNodeId();
      Progress progress = progress();
      long index = Ticking.call(() -> client.takeSnapshot(answering),
          elapsedMs -> progress.update("snapshot of " + nodeId + ": " + elapsedMs / 1000 + " s"));
      progress.done("snapshot of " + nodeId + " at index " + index);
      printer.object(Answering.nodeView(nodeId, "index", index));
    }
  }
}
