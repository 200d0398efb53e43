package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.Endpoint;
import org.ringrift.cluster.client.views.Views;
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

  @Command(name = "nodes", description = "The node registry.",
      subcommands = {Nodes.Ls.class, Nodes.Blacklist.class, Nodes.Unblacklist.class, Nodes.Drain.class})
  static final class Nodes {
    @Command(name = "ls", description = "Every known node: health, last heartbeat, blacklist, failures.")
    static final class Ls extends ClientCommand {
      @Override
      void run(ClusterClient client, Printer printer) {
        printer.rows(Views.list("nodes", client.listNodes(), Views::node), "nodes",
            List.of("node_id", "health", "last_heartbeat_ms", "failure_count", "blacklisted_until_ms", "draining"));
      }
    }

    @Command(name = "blacklist", description = "Stop a node from claiming work for a while.")
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

    @Command(name = "unblacklist", description = "Let a node claim again and reset its failure count.")
    static final class Unblacklist extends ClientCommand {
      @Parameters(index = "0", paramLabel = "NODE") String nodeId;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.node(client.unblacklistNode(nodeId)));
      }
    }

    @Command(name = "drain", description = "Stop a node from claiming new work (--off to undo).")
    static final class Drain extends ClientCommand {
      @Parameters(index = "0", paramLabel = "NODE") String nodeId;

      @Option(names = "--off", description = "Undrain.") boolean off;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.node(client.drainNode(nodeId, !off)));
      }
    }
  }

  @Command(name = "config", description = "The replicated runtime config.",
      subcommands = {Config.Get.class, Config.Set.class})
  static final class Config {
    @Command(name = "get", description = "Every key with its value and meaning, or one key.")
    static final class Get extends ClientCommand {
      @Parameters(index = "0", arity = "0..1", paramLabel = "KEY") String key = "";

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.rows(Views.list("entries", client.getConfig(key), Views::config), "entries",
            List.of("key", "value", "is_default", "description"));
      }
    }

    @Command(name = "set", description = "Set a key cluster-wide; unknown keys and out-of-range values are refused.")
    static final class Set extends ClientCommand {
      @Parameters(index = "0", paramLabel = "KEY") String key;
      @Parameters(index = "1", paramLabel = "VALUE") String value;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.config(client.setConfig(key, value)));
      }
    }
  }

  @Command(name = "events", description = "The replicated event log.",
      subcommands = {Events.Recent.class, Events.Watch.class})
  static final class Events {
    @Command(name = "watch", description = "Follow events live (one line, or one JSON object, per event).")
    static final class Watch extends ClientCommand {
      @Option(names = "--type", defaultValue = "", description = "Only this type.") String type;
      @Option(names = "--after", defaultValue = "0", description = "Replay retained events after this seq first.")
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

    @Command(name = "recent", description = "The newest events, oldest first.")
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

  @Command(name = "leaders", description = "Leader history.", subcommands = {Leaders.History.class})
  static final class Leaders {
    @Command(name = "history", description = "Who led each term and since when, newest first.")
    static final class History extends ClientCommand {
      @Option(names = "--limit", defaultValue = "100", description = "1-1000 (default: ${DEFAULT-VALUE}).") int limit;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.rows(Views.list("leaders", client.leaderHistory(limit), Views::leader), "leaders",
            List.of("term", "leader_id", "since_ms"));
      }
    }
  }

  @Command(name = "sync", description = "Data sync between nodes.", subcommands = {Sync.History.class,
      SyncCommands.Status.class, SyncCommands.Trigger.class})
  static final class Sync {
    @Command(name = "history", description = "Sync records, newest first.")
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

  @Command(name = "daemons", description = "Daemons: ls shows the answering node's view; start and stop are "
      + "cluster-wide and survive failovers; restart is on the answering node.",
      subcommands = {Daemons.Ls.class, Daemons.Start.class, Daemons.Stop.class, Daemons.Restart.class})
  static final class Daemons {
    @Command(name = "ls", description = "Every daemon on the answering node: scope, state, restarts, last error.")
    static final class Ls extends ClientCommand {
      @Option(names = "--all", description = "Every endpoint's node, one object per line in json mode.")
      boolean all;

      @Override
      void run(ClusterClient client, Printer printer) {
        List<Endpoint> targets = all ? client.endpoints() : List.of(Answering.endpoint(client));
        for (Endpoint endpoint : targets) {
          printer.rows(Views.daemons(client.listDaemons(endpoint)), "daemons",
              List.of("name", "scope", "state", "restarts", "leader_term", "desired_enabled", "last_error"));
        }
      }
    }

    @Command(name = "start", description = "Enable a daemon cluster-wide.")
    static final class Start extends ClientCommand {
      @Parameters(index = "0", paramLabel = "NAME") String name;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.desired(client.setDaemonDesired(name, true)));
      }
    }

    @Command(name = "stop", description = "Disable a daemon cluster-wide; it stays stopped across failovers.")
    static final class Stop extends ClientCommand {
      @Parameters(index = "0", paramLabel = "NAME") String name;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.desired(client.setDaemonDesired(name, false)));
      }
    }

    @Command(name = "restart", description = "Restart a daemon on the answering node, clearing its crash history.")
    static final class Restart extends ClientCommand {
      @Parameters(index = "0", paramLabel = "NAME") String name;

      @Override
      void run(ClusterClient client, Printer printer) {
        printer.object(Views.daemon(client.restartDaemon(Answering.endpoint(client), name)));
      }
    }
  }

  @Command(name = "members", description = "The Raft configuration: voters and listeners, and who leads.",
      subcommands = {Members.Add.class, Members.Remove.class})
  static final class Members extends ClientCommand {
    @Command(name = "add", description = "Add a running node (started with rrnode --join) as a voter or listener.")
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

    @Command(name = "remove", description = "Remove a member from the Raft configuration.")
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

  @Command(name = "leader", description = "Leadership.", subcommands = {Leader.Transfer.class})
  static final class Leader {
    @Command(name = "transfer", description = "Hand leadership to another voter (for maintenance of the leader).")
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
  }

  @Command(name = "snapshot", description = "Raft snapshots.", subcommands = {Snapshot.Take.class})
  static final class Snapshot {
    @Command(name = "take", description = "Make the first reachable node snapshot its state now.")
    static final class Take extends ClientCommand {
      @Override
      void run(ClusterClient client, Printer printer) {
        Endpoint answering = Answering.endpoint(client);
        String nodeId = client.statusOf(answering).getNodeId();
        printer.object(Answering.nodeView(nodeId, "index", client.takeSnapshot(answering)));
      }
    }
  }
}
