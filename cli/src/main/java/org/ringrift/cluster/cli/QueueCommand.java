package org.ringrift.cluster.cli;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.views.Views;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.client.views.WorkTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "queue", description = "The cluster-wide work queue.",
    subcommands = {QueueCommand.Add.class, QueueCommand.Claim.class, QueueCommand.Complete.class,
        QueueCommand.Get.class, QueueCommand.Stats.class})
final class QueueCommand {
  private static final List<String> ITEM_COLUMNS =
      List.of("id", "type", "state", "priority", "attempts", "claimed_by", "token");

  @ParentCommand Rrctl root;

  /** Base of the leaf commands: connect, run, print. */
  abstract static class Leaf implements Callable<Integer> {
    @ParentCommand QueueCommand queue;
    @Spec CommandSpec spec;

    @Override
    public final Integer call() {
      try (ClusterClient client = queue.root.global.connect()) {
        run(client, new Printer(spec.commandLine().getOut(), queue.root.global.json()));
      }
      return 0;
    }

    abstract void run(ClusterClient client, Printer printer);
  }

  @Command(name = "add", description = "Enqueue one work item.")
  static final class Add extends Leaf {
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
      WorkType workType = WorkTypes.parse(type).orElseThrow(() -> new IllegalArgumentException(
          "--type '" + type + "' is not a work type: one of " + WorkTypes.names()));
      EnqueueResult result = client.enqueue(EnqueueRequest.newBuilder().setType(workType)
          .setPayload(ByteString.copyFromUtf8(payload)).setPriority(priority).setMaxAttempts(maxAttempts)
          .setIdempotencyKey(idempotencyKey).build());
      Map<String, Object> view = Views.item(result.getItem());
      view.put("created", result.getCreated());
      printer.object(view);
    }
  }

  @Command(name = "claim", description = "Claim up to --max items for a worker; prints their lease tokens.")
  static final class Claim extends Leaf {
    @Option(names = "--worker", required = true, description = "Worker id the lease is for.")
    String worker;

    @Option(names = "--max", defaultValue = "1", description = "Items to claim, 1-10 (default: ${DEFAULT-VALUE}).")
    int maxItems;

    @Option(names = "--type", split = ",", description = "Only these work types (default: all).")
    List<String> types = List.of();

    @Option(names = "--lease-ms", defaultValue = "0", description = "Lease length (0: default 300000).")
    long leaseMs;

    @Override
    void run(ClusterClient client, Printer printer) {
      ClaimRequest.Builder request = ClaimRequest.newBuilder().setWorkerId(worker).setMaxItems(maxItems)
          .setLeaseMs(leaseMs);
      for (String name : types) {
        request.addWorkTypes(WorkTypes.parse(name).orElseThrow(() -> new IllegalArgumentException(
            "--type '" + name + "' is not a work type: one of " + WorkTypes.names())));
      }
      printer.rows(Views.items(client.claim(request.build()).getItemsList()), "items", ITEM_COLUMNS);
    }
  }

  @Command(name = "complete", description = "Complete a claimed item; --token must be its current lease.")
  static final class Complete extends Leaf {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Option(names = "--token", required = true, description = "Lease token from claim, as <term>.<sequence>.")
    String token;

    @Option(names = "--result", defaultValue = "", description = "Result (JSON text, up to 64 KiB).")
    String result;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.complete(CompleteRequest.newBuilder().setItemId(itemId)
          .setToken(Views.parseToken(token)).setResult(ByteString.copyFromUtf8(result)).build())));
    }
  }

  @Command(name = "get", description = "Show one item.")
  static final class Get extends Leaf {
    @Parameters(index = "0", paramLabel = "ID", description = "Item id (w-<number>).")
    String itemId;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.item(client.getItem(itemId)));
    }
  }

  @Command(name = "stats", description = "Item counts per state.")
  static final class Stats extends Leaf {
    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.queueStats(client.queueStats()));
    }
  }
}
