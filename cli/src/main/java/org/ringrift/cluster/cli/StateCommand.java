package org.ringrift.cluster.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.SessionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "state", footerHeading = "%nExamples:%n",
    footer = {"  rrctl state digest", "  rrctl state sessions"},
     description = "Inspect the replicated state.", subcommands = {StateCommand.Digest.class, StateCommand.Sessions.class})
final class StateCommand {
  @Command(name = "digest", footerHeading = "%nExamples:%n",
    footer = {"  for e in 127.0.0.1:9770 127.0.0.1:9771 127.0.0.1:9772; do rrctl --endpoint $e state digest; done"},
    
      description = "SHA-256 of the first reachable node's whole state, with the applied index it was taken at.")
  static final class Digest extends ClientCommand {
    @Override
    void run(ClusterClient client, Printer printer) {
      Endpoint answering = Answering.endpoint(client);
      printer.object(Views.digest(client.statusOf(answering).getNodeId(), client.digestOf(answering)));
    }
  }

  @Command(name = "sessions", footerHeading = "%nExamples:%n",
      footer = {"  rrctl state sessions", "  rrctl state sessions --limit 20",
          "  rrctl -o json state sessions | jq '.totals.dedupe_hits'"},
      description = {"Client sessions (exactly-once writes; docs/OPERATIONS.md, Client sessions) by id, "
          + "and the session counters of the replicated state.",
          "IDLE runs from the session's last applied write (the cluster's clock) to now (this machine's clock); "
          + "in json: opened_ms, last_active_ms, idle_ms."})
  static final class Sessions extends ClientCommand {
    /** The server's own page limit (list_sessions). */
    static final int MAX_LIMIT = 1000;
    static final List<String> COLUMNS =
        List.of("id", "client", "last_seq", "acked_below", "results_held", "result_bytes", "idle", "opened");

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "Show at most N sessions, 1-" + MAX_LIMIT + " (default: ${DEFAULT-VALUE}); the totals count all.")
    int limit;

    @Override
    void run(ClusterClient client, Printer printer) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("--limit " + limit + " is out of range 1-" + MAX_LIMIT);
      }
      ListSessionsResult result = client.listSessions(limit);
      long nowMs = System.currentTimeMillis();
      Map<String, Object> view = Views.sessions(result, nowMs);
      if (printer.isJson()) {
        printer.object(view);
        return;
      }
      printer.rows(Views.list("sessions", result.getSessionsList(), s -> row(s, nowMs)),
          "sessions", COLUMNS);
      printer.blankLine();
      Map<String, Object> totals = new LinkedHashMap<>(Views.sessionTotals(result));
      if (result.getNextAfterSessionId() != 0) {
        totals.put("shown", result.getSessionsCount() + " of " + result.getOpen() + " (raise --limit for more)");
      }
      printer.object(totals);
    }

    /** A table row: numbers as they are, idle as a duration, opened as an ISO time (UTC). */
    static Map<String, Object> row(SessionInfo s, long nowMs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", s.getSessionId());
      row.put("client", s.getClientName().isEmpty() ? null : s.getClientName());
      row.put("last_seq", s.getLastSeq());
      row.put("acked_below", s.getAckedBelow());
      row.put("results_held", s.getResultsHeld());
      row.put("result_bytes", s.getResultBytes());
      row.put("idle", HumanTime.duration(Math.max(0, nowMs - s.getLastActiveMs())));
      row.put("opened", HumanTime.iso(s.getOpenedMs()));
      return row;
    }
  }
}

/** Finds the endpoint of the first reachable node, for commands about one node's local state. */
final class Answering {
  private Answering() {}

  static Endpoint endpoint(ClusterClient client) {
    String nodeId = client.status().getNodeId();
    for (Endpoint endpoint : client.endpoints()) {
      try {
        if (client.statusOf(endpoint).getNodeId().equals(nodeId)) {
          return endpoint;
        }
      } catch (RuntimeException unreachable) {
        // try the next one
      }
    }
    throw new IllegalStateException("node " + nodeId + " answered but none of the endpoints is it");
  }

  static Map<String, Object> nodeView(String nodeId, String key, Object value) {
    Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("node_id", nodeId);
    view.put(key, value);
    return view;
  }
}
