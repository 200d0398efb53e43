package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.RecentEventsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rrctl events: the replicated event log, recent or followed live. */
@Command(name = "events", footerHeading = "%nExamples:%n",
    footer = {"  rrctl events recent --type WORK_FAILED", "  rrctl events watch"},
    description = "The replicated event log.",
    subcommands = {EventsCommand.Recent.class, EventsCommand.Watch.class})
final class EventsCommand {
  @Command(name = "watch", footerHeading = "%nExamples:%n",
  footer = {"  rrctl events watch", "  rrctl -o json events watch --after 100 --count 10"},
   description = "Follow events live (one line, or one JSON object, per event).")
  static final class Watch extends ClientCommand {
    @Option(names = "--type", defaultValue = "", description = "Only this type.") String type;
    @Option(names = "--after", defaultValue = "0", description = "Replay retained events after this seq first (0: only new events).")
    long afterSeq;
    @Option(names = "--count", defaultValue = "0", description = "Stop after this many events (0: until Ctrl-C).")
    long count;

    @Override
    void run(ClusterClient client, Printer printer) {
      long[] seen = {0};
      client.watchEvents(org.ringrift.cluster.proto.WatchEventsRequest.newBuilder().setType(type)
          .setAfterSeq(afterSeq).build(), event -> {
            printer.line(Views.event(event));
            seen[0]++;
            return count == 0 || seen[0] < count;
          });
    }
  }

  @Command(name = "recent", footerHeading = "%nExamples:%n",
  footer = {"  rrctl events recent --limit 20", "  rrctl events recent --type LEADER_ELECTED"},
   description = "The newest events, oldest first.")
  static final class Recent extends ClientCommand {
    @Option(names = "--limit", defaultValue = "50", description = "1-1000 (default: ${DEFAULT-VALUE}).") int limit;
    @Option(names = "--type", defaultValue = "", description = "Only this type, e.g. WORK_FAILED.") String type;
    @Option(names = "--after", defaultValue = "0", description = "Only events after this seq.") long afterSeq;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("events", client.recentEvents(RecentEventsRequest.newBuilder().setLimit(limit)
              .setType(type).setAfterSeq(afterSeq).build()), Views::event), "events",
          List.of("seq", "time_ms", "type", "subject", "message"));
    }
  }
}
