package org.ringrift.cluster.cli;

import org.ringrift.cluster.client.ClusterClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rrctl leader: hand leadership on, or wait for a ready leader. */
@Command(name = "leader", description = "Leadership.", subcommands = {LeaderCommand.Transfer.class, LeaderCommand.Wait.class},
    footerHeading = "%nExamples:%n",
    footer = {"  rrctl leader wait --max-wait 60s", "  rrctl leader transfer --to n2"})
final class LeaderCommand {
  @Command(name = "transfer", description = "Hand leadership to another voter (for maintenance of the leader).",
      footerHeading = "%nExamples:%n", footer = {"  rrctl leader transfer --to n2"})
  static final class Transfer extends ClientCommand {
    @Option(names = "--to", required = true, description = "The voter to lead next.") String to;

    @Override
    void run(ClusterClient client, Printer printer) {
      org.ringrift.cluster.proto.TransferLeaderResult result = client.transferLeader(to);
      java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
      view.put("leader_id", result.getLeaderId());
      view.put("term", result.getTerm());
      printer.object(view);
    }
  }

  @Command(name = "wait", description = {"Wait until some endpoint's node is a ready leader; exit 3 if none is "
      + "within --max-wait.", "For scripts after a restart or failover; each poll is bounded by --timeout."},
      footerHeading = "%nExamples:%n", footer = {"  rrctl leader wait --max-wait 60s && rrctl queue stats"})
  static final class Wait extends ClientCommand {
    @Option(names = "--max-wait", defaultValue = "60s", converter = DurationConverter.class,
        description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    java.time.Duration maxWait;

    @Override
    void run(ClusterClient client, Printer printer) {
      Progress progress = progress();
      LeaderWait.Ready ready = new LeaderWait(client, java.time.Clock.systemUTC(), maxWait)
          .await(waitedMs -> progress.update("waiting for a ready leader: " + waitedMs / 1000 + " s"));
      progress.done("leader " + ready.leaderId() + " ready after " + ready.waitedMs() + " ms");
      java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
      view.put("leader_id", ready.leaderId());
      view.put("term", ready.term());
      view.put("waited_ms", ready.waitedMs());
      printer.object(view);
    }
  }
}
