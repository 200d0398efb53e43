package org.ringrift.cluster.cli;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "queue", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue stats", "  rrctl queue ls --state pending --type selfplay --limit 20", "  rrctl queue dead"},
     description = "The cluster-wide work queue.",
    subcommands = {QueueCommand.Add.class, QueueLeaseCommands.Claim.class, QueueLeaseCommands.Extend.class,
        QueueLeaseCommands.Start.class, QueueLeaseCommands.Complete.class, QueueLeaseCommands.Fail.class,
        QueueLeaseCommands.Release.class,
        QueueCommand.Cancel.class, QueueCommand.Get.class, QueueCommand.ListCmd.class, QueueCommand.Stats.class,
        QueueCommand.Dead.class, QueueCommand.Redrive.class, QueueCommand.Annotate.class,
        QueueCommand.Priority.class})
final class QueueCommand {
  static final List<String> ITEM_COLUMNS =
      List.of("id", "type", "state", "priority", "attempts", "claimed_by", "token");

  @Command(name = "add", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue add --type selfplay --payload '{\"board\":\"hex8\"}' --priority 50", "  rrctl queue add --type training --idempotency-key train-hex8-42"},
     description = "Enqueue one work item.")
  static final class Add extends ClientCommand {
    @Option(names = "--type", required = true, description = "Work type: selfplay, training, gpu_cmaes, ...")
    String type;

    @Option(names = "--payload", defaultValue = "", description = "Payload (JSON text, up to 64 KiB).")
    String payload;

    @Option(names = "--priority", defaultValue = "50", description = "0-100, higher first (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--max-attempts", defaultValue = "0", description = "Attempts before dead letter (0: default 3).")
    int maxAttempts;

    @Option(names = "--idempotency-key", defaultValue = "",
        description = "Enqueue at most once per key within the dedup window.")
    String idempotencyKey;

    @Override
    void run(ClusterClient client, Printer printer) {
      WorkType workType = QueueInput.parseType(type);
      QueueInput.requireJson("--payload", payload);
      EnqueueResult result = client.enqueue(EnqueueRequest.newBuilder().setType(workType)
          .setPayload(ByteString.copyFromUtf8(payload)).setPriority(priority).setMaxAttempts(maxAttempts)
          .setIdempotencyKey(idempotencyKey).build());
      Map<String, Object> view = Views.item(result.getItem());
      view.put("created", result.getCreated());
      printer.object(view);
    }
  }

  @Command(name = "cancel", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue cancel w-17 --reason 'superseded'"},
     description = "Cancel a pending, claimed or running item.")
  static final class Cancel extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Option(names = "--reason", defaultValue = "", description = "Why (kept as the item's last error).")
    String reason;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.cancel(CancelRequest.newBuilder().setItemId(itemId).setReason(reason).build())));
    }
  }

  @Command(name = "annotate", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue annotate w-17 --note 'rerun after the GPU swap'"},
     description = "Set an item's note, in any state (needs feature level 2: rrctl cluster feature-level).")
  static final class Annotate extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Option(names = "--note", required = true, description = "The note, at most 256 characters (empty clears it).")
    String note;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.annotateItem(itemId, note)));
    }
  }

  @Command(name = "priority", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue priority w-17 95      # claimed before the others of its type",
        "  rrctl queue priority w-18 0       # claimed after them"},
     description = {"Change a pending item's priority, so its place in claim order (needs feature level 3: "
        + "rrctl cluster feature-level).", "Refused (exit 5) for an item that is not pending."})
  static final class Priority extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Parameters(index = "1", paramLabel = "PRIORITY", description = "0-100, higher first, as at enqueue.")
    int priority;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.setPriority(itemId, priority)));
    }
  }

  @Command(name = "list", aliases = "ls", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue ls --state claimed,running", "  rrctl queue ls --after w-100 --limit 100"},
     description = "List items in enqueue order, with filters and paging.")
  static final class ListCmd extends ClientCommand {
    @Option(names = "--state", split = ",", description = "Only these states: pending, claimed, running, completed, "
        + "failed, timeout, cancelled.")
    List<String> states = List.of();

    @Option(names = "--type", description = "Only this work type.")
    String type;

    @Option(names = "--after", defaultValue = "", description = "Start after this item id (from next_after_id).")
    String afterId;

    @Option(names = "--limit", defaultValue = "100", description = "Page size, 1-500 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run(ClusterClient client, Printer printer) {
      ListItemsRequest.Builder request = ListItemsRequest.newBuilder().setAfterId(afterId).setLimit(limit);
      for (String state : states) {
        request.addStates(QueueInput.parseState(state));
      }
      if (type != null) {
        request.setType(QueueInput.parseType(type));
      }
      ListItemsResult result = client.listItems(request.build());
      Map<String, Object> view = Views.items(result.getItemsList());
      view.put("next_after_id", result.getNextAfterId().isEmpty() ? null : result.getNextAfterId());
      printer.rows(view, "items", ITEM_COLUMNS);
    }
  }

  @Command(name = "dead", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue dead --limit 20"},
     description = "The dead letter queue: failed and timed-out items.")
  static final class Dead extends ClientCommand {
    @Option(names = "--limit", defaultValue = "100", description = "At most this many, 1-500 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run(ClusterClient client, Printer printer) {
      ListItemsResult result = client.listItems(ListItemsRequest.newBuilder()
          .addStates(WorkState.WORK_STATE_FAILED).addStates(WorkState.WORK_STATE_TIMEOUT).setLimit(limit).build());
      printer.rows(Views.items(result.getItemsList()), "items",
          List.of("id", "type", "state", "attempts", "claimed_node", "last_error"));
    }
  }

  @Command(name = "redrive", description = {"Return dead letters to pending with their attempts reset.",
      "Sent in batches of " + Redrive.BATCH + " (the server's batch limit), with progress on a terminal."},
      footerHeading = "%nExamples:%n",
      footer = {"  rrctl queue redrive w-17 w-18", "  rrctl queue redrive --all --limit 5000"})
  static final class Redrive extends ClientCommand {
    /** The queue's max batch size (QueueLimits.maxBatchSize); larger requests are refused by the server. */
    static final int BATCH = 100;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Dead-lettered item ids.")
    List<String> itemIds = List.of();

    @Option(names = "--all", description = "Redrive the oldest dead letters instead of named ones.")
    boolean all;

    @Option(names = "--limit", defaultValue = "0", description = "With --all: at most this many in total (0: 100).")
    int limit;

    @Override
    void run(ClusterClient client, Printer printer) {
      if (all == !itemIds.isEmpty()) {
        throw new IllegalArgumentException("give item ids, or --all, not both and not neither");
      }
      if (limit < 0) {
        throw new IllegalArgumentException("--limit " + limit + " must be 0 or more");
      }
      Progress progress = progress();
      List<WorkItem> redriven = new java.util.ArrayList<>();
      if (all) {
        int total = limit == 0 ? BATCH : limit;
        while (redriven.size() < total) {
          List<WorkItem> batch = client.redrive(RedriveRequest.newBuilder().setAll(true)
              .setLimit(Math.min(BATCH, total - redriven.size())).build());
          redriven.addAll(batch);
          progress.update("redriven " + redriven.size() + " of at most " + total);
          if (batch.isEmpty()) {
            break;
          }
        }
      } else {
        for (int from = 0; from < itemIds.size(); from += BATCH) {
          redriven.addAll(client.redrive(RedriveRequest.newBuilder()
              .addAllItemIds(itemIds.subList(from, Math.min(itemIds.size(), from + BATCH))).build()));
          progress.update("redriven " + redriven.size() + " of " + itemIds.size());
        }
      }
      progress.done("redriven " + redriven.size());
      printer.rows(Views.items(redriven), "items", ITEM_COLUMNS);
    }
  }

  @Command(name = "get", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue get w-17"},
     description = "Show one item.")
  static final class Get extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.getItem(itemId)));
    }
  }

  @Command(name = "stats", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue stats", "  rrctl -o json queue stats | jq .pending", "  rrctl queue stats --all"},
     description = "Item counts per state.")
  static final class Stats extends ClientCommand {
    @Option(names = "--all", description = {"Each endpoint's local counts, one row per node (json: a list of "
        + "objects with node_id); a node that lags shows older counts.",
        "All endpoints are asked at once within --timeout; exit 3 when none answers."})
    boolean all;

    private record NodeStats(String nodeId, org.ringrift.cluster.proto.QueueStats stats) {}

    @Override
    void run(ClusterClient client, Printer printer) {
      if (!all) {
        printer.object(Views.queueStats(client.queueStats()));
        return;
      }
      java.time.Duration timeout = timeout();
      List<EveryNode.Answer<NodeStats>> answers = EveryNode.ask(client, timeout,
          e -> new NodeStats(client.statusOf(e).getNodeId(), client.queueStatsOf(e)));
      List<Map<String, Object>> rows = new java.util.ArrayList<>();
      for (EveryNode.Answer<NodeStats> answer : answers) {
        Map<String, Object> row = EveryNode.head(answer.reachable() ? answer.value().nodeId() : null, answer);
        if (answer.reachable()) {
          Views.queueStats(answer.value().stats()).forEach((k, v) -> {
            if (!(v instanceof Map)) {
              row.put(k, v);
            }
          });
        }
        rows.add(row);
      }
      printer.perNode(rows, List.of("node_id", "endpoint", "reachable", "pending", "claimed", "running", "completed",
          "failed", "timeout", "cancelled"));
      EveryNode.requireOneAnswer(answers, timeout);
    }
  }
}
