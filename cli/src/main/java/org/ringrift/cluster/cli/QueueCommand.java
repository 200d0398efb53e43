package org.ringrift.cluster.cli;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.views.Views;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "queue", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue stats", "  rrctl queue ls --state pending --type selfplay --limit 20", "  rrctl queue dead"},
     description = "The cluster-wide work queue.",
    subcommands = {QueueCommand.Add.class, QueueCommand.Claim.class, QueueCommand.Extend.class,
        QueueCommand.Start.class, QueueCommand.Complete.class, QueueCommand.Fail.class, QueueCommand.Release.class,
        QueueCommand.Cancel.class, QueueCommand.Get.class, QueueCommand.ListCmd.class, QueueCommand.Stats.class,
        QueueCommand.Dead.class, QueueCommand.Redrive.class, QueueCommand.Annotate.class})
final class QueueCommand {
  private static final List<String> ITEM_COLUMNS =
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
      WorkType workType = parseType(type);
      requireJson("--payload", payload);
      EnqueueResult result = client.enqueue(EnqueueRequest.newBuilder().setType(workType)
          .setPayload(ByteString.copyFromUtf8(payload)).setPriority(priority).setMaxAttempts(maxAttempts)
          .setIdempotencyKey(idempotencyKey).build());
      Map<String, Object> view = Views.item(result.getItem());
      view.put("created", result.getCreated());
      printer.object(view);
    }
  }

  @Command(name = "claim", footerHeading = "%nExamples:%n",
    footer = {"  rrctl -o json queue claim --worker w1 --type selfplay --max 2"},
     description = "Claim up to --max items for a worker; prints their lease tokens.")
  static final class Claim extends ClientCommand {
    @Option(names = "--worker", required = true, description = "Worker id the lease is for.")
    String worker;

    @Option(names = "--max", defaultValue = "1", description = "Items to claim, 1-10 (default: ${DEFAULT-VALUE}).")
    int maxItems;

    @Option(names = "--type", split = ",", description = "Only these work types (default: all).")
    List<String> types = List.of();

    @Option(names = "--lease-ms", defaultValue = "0", description = "Lease length (0: default 300000).")
    long leaseMs;

    @Option(names = "--node", defaultValue = "", description = "Node the worker runs on (default: the worker id).")
    String node;

    @Option(names = "--capability", split = ",", description = "Capabilities of the worker's node.")
    List<String> capabilities = List.of();

    @Override
    void run(ClusterClient client, Printer printer) {
      ClaimRequest.Builder request = ClaimRequest.newBuilder().setWorkerId(worker).setMaxItems(maxItems)
          .setLeaseMs(leaseMs).setNodeId(node).addAllCapabilities(capabilities);
      for (String name : types) {
        request.addWorkTypes(parseType(name));
      }
      printer.rows(Views.items(client.claim(request.build()).getItemsList()), "items", ITEM_COLUMNS);
    }
  }

  @Command(name = "complete", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue complete w-17 --token 3.41 --result '{\"games\":100}'"},
     description = "Complete a claimed item; --token must be its current lease.")
  static final class Complete extends Leased {
    @Option(names = "--result", defaultValue = "", description = "Result (JSON text, up to 64 KiB).")
    String result;

    @Override
    void run(ClusterClient client, Printer printer) {
      requireJson("--result", result);
      printer.object(Views.item(client.complete(CompleteRequest.newBuilder().setItemId(itemId)
          .setToken(lease()).setResult(ByteString.copyFromUtf8(result)).build())));
    }
  }

  /** Options of the commands that act on a leased item. */
  abstract static class Leased extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Option(names = "--token", required = true, description = "Current lease token, as <term>.<sequence>.")
    String token;

    LeaseToken lease() {
      return Views.parseToken(token);
    }
  }

  @Command(name = "extend", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue extend w-17 --token 3.41 --lease-ms 600000"},
     description = "Extend a lease; never past the item's timeout from its claim.")
  static final class Extend extends Leased {
    @Option(names = "--lease-ms", defaultValue = "0", description = "New lease length from now (0: default 300000).")
    long leaseMs;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.extend(ExtendRequest.newBuilder().setItemId(itemId).setToken(lease())
          .setLeaseMs(leaseMs).build())));
    }
  }

  @Command(name = "start", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue start w-17 --token 3.41"},
     description = "Mark a claimed item running.")
  static final class Start extends Leased {
    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.start(StartRequest.newBuilder().setItemId(itemId).setToken(lease()).build())));
    }
  }

  @Command(name = "fail", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue fail w-17 --token 3.41 --error 'CUDA OOM'", "  rrctl queue fail w-17 --token 3.41 --error 'bad payload' --permanent"},
     description = "Report a failure: retried with backoff on another node, or dead-lettered.")
  static final class Fail extends Leased {
    @Option(names = "--error", required = true, description = "What went wrong (up to 4096 characters).")
    String error;

    @Option(names = "--permanent", description = "Do not retry: dead-letter now.")
    boolean permanent;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.fail(FailRequest.newBuilder().setItemId(itemId).setToken(lease())
          .setError(error).setPermanent(permanent).build())));
    }
  }

  @Command(name = "release", footerHeading = "%nExamples:%n",
    footer = {"  rrctl queue release w-17 --token 3.41"},
     description = "Give a claimed item back without charging an attempt.")
  static final class Release extends Leased {
    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.release(ReleaseRequest.newBuilder().setItemId(itemId).setToken(lease()).build())));
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
        request.addStates(parseState(state));
      }
      if (type != null) {
        request.setType(parseType(type));
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

  static WorkState parseState(String name) {
    for (WorkState state : WorkState.values()) {
      if (state != WorkState.UNRECOGNIZED && state != WorkState.WORK_STATE_UNSPECIFIED
          && state.name().equalsIgnoreCase("WORK_STATE_" + name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("--state '" + name + "' is not a state: pending, claimed, running, completed, "
        + "failed, timeout, cancelled");
  }

  /** The payload and result options say JSON: refuse anything else here, with the exit code of a bad flag. */
  static void requireJson(String option, String text) {
    if (text.isEmpty()) {
      return;
    }
    try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.databind.ObjectMapper()
        .getFactory().createParser(text)) {
      parser.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      while (parser.nextToken() != null) {
        // reading every token is the check
      }
    } catch (java.io.IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage()
          : e.getMessage();
      throw new IllegalArgumentException(option + " is not valid JSON: " + why.lines().findFirst().orElse(why));
    }
  }

  static WorkType parseType(String name) {
    return WorkTypes.parse(name).orElseThrow(() -> new IllegalArgumentException(
        "--type '" + name + "' is not a work type: one of " + WorkTypes.names()));
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
