package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rrctl leaders: who led each term. */
@Command(name = "leaders", footerHeading = "%nExamples:%n",
    footer = {"  rrctl leaders history --limit 10"},
    description = "Leader history.", subcommands = {LeadersCommand.History.class})
final class LeadersCommand {
  @Command(name = "history", footerHeading = "%nExamples:%n",
  footer = {"  rrctl leaders history --limit 10"},
   description = "Who led each term and since when, newest first.")
  static final class History extends ClientCommand {
    @Option(names = "--limit", defaultValue = "100", description = "1-1000 (default: ${DEFAULT-VALUE}).") int limit;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("leaders", client.leaderHistory(limit), Views::leader), "leaders",
          List.of("term", "leader_id", "since_ms"));
    }
  }
}
