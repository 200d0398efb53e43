package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command groups about the cluster rather than the queue. */
final class ClusterCommands {
  private ClusterCommands() {}

  @Command(name = "nodes", footerHeading = "%nExamples:%n",
    footer = {"  rrctl nodes ls", "  rrctl nodes drain n3 && rrctl nodes drain n3 --off"},
     description = "The node registry.",
      subcommands = {Nodes.Ls.class, Nodes.Blacklist.class, Nodes.Unblacklist.class, Nodes.Drain.class})
  static final class Nodes {
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

  @Command(name = "config", footerHeading = "%nExamples:%n",
    footer = {"  rrctl config get", "  rrctl config set queue.timeout_ms.training 14400000"},
     description = "The replicated runtime config.",
      subcommands = {Config.Get.class, Config.Set.class})
  static final class Config {
    @Command(name = "get", footerHeading = "%nExamples:%n",
    footer = {"  rrctl config get", "  rrctl config get queue.pending_soft_limit"},
     description = "Every key with its value and meaning, or one key.")
    static final class Get extends ClientCommand {
      @Parameters(index = "0", arity = "0..1", paramLabel = "KEY") String key = "";

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.rows(Views.list("entries", client.getConfig(key), Views::config), "entries",
            List.of("key", "value", "is_default", "description"));
      }
    }

    @Command(name = "set", footerHeading = "%nExamples:%n",
    footer = {"  rrctl config set queue.pending_soft_limit 2000"},
     description = "Set a key cluster-wide; unknown keys and out-of-range values are refused.")
    static final class Set extends ClientCommand {
      @Parameters(index = "0", paramLabel = "KEY") String key;
      @Parameters(index = "1", paramLabel = "VALUE") String value;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.config(client.setConfig(key, value)));
      }
    }
  }

  @Command(name = "events", footerHeading = "%nExamples:%n",
    footer = {"  rrctl events recent --type WORK_FAILED", "  rrctl events watch"},
     description = "The replicated event log.",
      subcommands = {Events.Recent.class, Events.Watch.class})
  static final class Events {
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

  @Command(name = "leaders", footerHeading = "%nExamples:%n",
    footer = {"  rrctl leaders history --limit 10"},
     description = "Leader history.", subcommands = {Leaders.History.class})
  static final class Leaders {
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

  @Command(name = "sync", footerHeading = "%nExamples:%n",
    footer = {"  rrctl sync history --status failed", "  rrctl sync status", "  rrctl sync trigger --dataset models --to n2"},
     description = "Data sync between nodes.", subcommands = {Sync.History.class,
      SyncCommands.Status.class, SyncCommands.Trigger.class})
  static final class Sync {
    @Command(name = "history", footerHeading = "%nExamples:%n",
    footer = {"  rrctl sync history --limit 20", "  rrctl sync history --node n2 --status failed"},
     description = "Sync records, newest first.")
    static final class History extends ClientCommand {
      @Option(names = "--limit", defaultValue = "50", description = "1-1000 (default: ${DEFAULT-VALUE}).") int limit;
      @Option(names = "--node", defaultValue = "", description = "Only transfers from or to this node.") String node;
      @Option(names = "--status", description = "planned, running, done or failed.") String status;

      @Override
      void run(ClusterClient client, Printer printer) {
        SyncHistoryRequest.Builder request = SyncHistoryRequest.newBuilder().setLimit(limit).setNode(node);
        if (status != null) {
          request.setStatus(parseStatus(status));
        }
        printer.rows(Views.list("records", client.syncHistory(request.build()), Views::sync), "records",
            List.of("sync_id", "status", "file", "source_node", "target_node", "bytes_done", "error"));
      }

      private static SyncStatus parseStatus(String name) {
        for (SyncStatus s : SyncStatus.values()) {
          if (s != SyncStatus.UNRECOGNIZED && s.name().equalsIgnoreCase("SYNC_STATUS_" + name)) {
            return s;
          }
        }
        throw new IllegalArgumentException("--status '" + name + "' must be planned, running, done or failed");
      }
    }
  }

  @Command(name = "daemons", footerHeading = "%nExamples:%n",
    footer = {"  rrctl daemons ls --all", "  rrctl daemons stop queue_populator", "  rrctl daemons restart heartbeat"},
     description = "Daemons: ls shows the answering node's view; start and stop are "
      + "cluster-wide and survive failovers; restart is on the answering node.",
      subcommands = {Daemons.Ls.class, Daemons.Start.class, Daemons.Stop.class, Daemons.Restart.class})
  static final class Daemons {
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

  @Command(name = "members", footerHeading = "%nExamples:%n",
    footer = {"  rrctl members", "  rrctl members remove n3", "  rrctl members add n3 10.0.0.3:9870"},
     description = "The Raft configuration: voters and listeners, and who leads.",
      subcommands = {Members.Add.class, Members.Remove.class})
  static final class Members extends ClientCommand {
    @Command(name = "add", footerHeading = "%nExamples:%n",
    footer = {"  rrctl members add n4 10.0.0.4:9870", "  rrctl members add n5 10.0.0.5:9870 --listener"},
     description = "Add a running node (started with rrnode --join) as a voter or listener.")
    static final class Add extends ClientCommand {
      @Parameters(index = "0", paramLabel = "ID") String id;
      @Parameters(index = "1", paramLabel = "HOST:RAFT_PORT") String address;
      @Option(names = "--listener", description = "Receive the log without voting.") boolean listener;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.rows(Views.list("members", client.addMember(id, address, listener), Members::view), "members",
            List.of("id", "address", "role", "is_leader"));
      }
    }

    @Command(name = "remove", footerHeading = "%nExamples:%n",
    footer = {"  rrctl members remove n4"},
     description = "Remove a member from the Raft configuration.")
    static final class Remove extends ClientCommand {
      @Parameters(index = "0", paramLabel = "ID") String id;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.rows(Views.list("members", client.removeMember(id), Members::view), "members",
            List.of("id", "address", "role", "is_leader"));
      }
    }

    static java.util.Map<String, Object> view(org.ringrift.cluster.proto.Member m) {
      java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
      view.put("id", m.getId());
      view.put("address", m.getAddress());
      view.put("role", m.getRole().toLowerCase(java.util.Locale.ROOT));
      view.put("is_leader", m.getIsLeader());
      return view;
    }

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("members", client.members(), Members::view), "members",
          List.of("id", "address", "role", "is_leader"));
    }
  }

  @Command(name = "leader", description = "Leadership.", subcommands = {Leader.Transfer.class, Leader.Wait.class},
      footerHeading = "%nExamples:%n",
      footer = {"  rrctl leader wait --max-wait 60s", "  rrctl leader transfer --to n2"})
  static final class Leader {
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

  @Command(name = "snapshot", description = "Raft snapshots.", subcommands = {Snapshot.Take.class},
      footerHeading = "%nExamples:%n", footer = {"  rrctl --endpoint 127.0.0.1:9771 snapshot take"})
  static final class Snapshot {
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
}
