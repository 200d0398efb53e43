package org.ringrift.cluster.cli;

import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.views.Views;
import picocli.CommandLine.Command;

@Command(name = "status", description = "The answering node's view: leader, term, role, indexes, peers.")
final class StatusCommand extends ClientCommand {
  @Override
  void run(ClusterClient client, Printer printer) {
    printer.object(Views.status(client.status()));
  }
}
