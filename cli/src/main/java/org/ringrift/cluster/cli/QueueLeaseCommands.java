package org.ringrift.cluster.cli;

import com.google.protobuf.ByteString;
import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The queue commands of a lease's life: claim, then extend, start, complete, fail or release with its token. */
final class QueueLeaseCommands {
  private QueueLeaseCommands() {}

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
        request.addWorkTypes(QueueInput.parseType(name));
      }
      printer.rows(Views.items(client.claim(request.build()).getItemsList()), "items", QueueCommand.ITEM_COLUMNS);
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
      QueueInput.requireJson("--result", result);
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
}
