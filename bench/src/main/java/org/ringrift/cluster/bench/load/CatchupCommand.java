package org.ringrift.cluster.bench.load;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringrift.cluster.contract.views.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** rrbench catchup: how long a follower that was down takes to catch up, by log replay and by snapshot. */
@Command(name = "catchup", mixinStandardHelpOptions = true,
    description = "Kills a follower of a real 3-node process cluster, commits --entries without it, restarts it and "
        + "times its catch-up: once by log replay, once by snapshot install (the leader's log purged past it), "
        + "and once with a state of --items items installed by snapshot.")
final class CatchupCommand implements Callable<Integer> {
  private static final long MAX_ENTRIES = 10_000_000;
  private static final long MAX_ITEMS = 1_000_000;
  private static final int MAX_WRITERS = 256;

  @Spec CommandSpec spec;

  @Option(names = "--entries", defaultValue = "100000",
      description = "Entries (single enqueues) the follower misses in the replay and install runs (default: ${DEFAULT-VALUE}).")
  long entries;

  @Option(names = "--items", defaultValue = "1000000",
      description = "Items in the large-state run, enqueued in batches of " + CatchupBench.BULK_BATCH
          + "; 0 skips it (default: ${DEFAULT-VALUE}, at most the queue's pending limit 1000000).")
  long items;

  @Option(names = "--writers", defaultValue = "64", description = "Concurrent writers (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--payload-bytes", defaultValue = "256", description = "Payload per item (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(names = "--timeout-ms", defaultValue = "10000", description = "Deadline of one client call (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Mixin ClusterStartOptions start = new ClusterStartOptions();

  @Override
  public Integer call() throws Exception {
    Rrbench.check("--entries", entries >= 1 && entries <= MAX_ENTRIES, "1.." + MAX_ENTRIES);
    Rrbench.check("--items", items >= 0 && items <= MAX_ITEMS, "0.." + MAX_ITEMS);
    Rrbench.check("--writers", writers >= 1 && writers <= MAX_WRITERS, "1.." + MAX_WRITERS);
    Rrbench.check("--payload-bytes", payloadBytes >= 0 && payloadBytes <= Rrbench.MAX_PAYLOAD, "0.." + Rrbench.MAX_PAYLOAD);
    Rrbench.check("--timeout-ms", timeoutMs >= 100 && timeoutMs <= 600_000, "100..600000");
    Rrbench.check("--output", output.equals("table") || output.equals("json"), "table or json");
    // No automatic snapshot during the run: the replay run needs the leader to keep its log, and
    // the install runs purge it on purpose.
    List<String> args = new ArrayList<>(List.of("--snapshot-threshold=" + (2 * entries + items + 1_000_000)));
    args.addAll(start.nodeArgs);
    List<CatchupBench.Result> results = new ArrayList<>();
    try (Clusters clusters = new Clusters(start.tempParent(), start.keep)) {
      NodeProcesses cluster = clusters.startRingRift(start.repoRoot(), args);
      CatchupBench bench = new CatchupBench(cluster, Duration.ofMillis(timeoutMs), writers, Rrbench.payload(payloadBytes));
      results.add(bench.replay(entries));
      results.add(bench.install(entries));
      if (items > 0) {
        results.add(bench.largeState(items));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.equals("json")) {
      out.println(Json.write(Map.of("catchup", results.stream().map(CatchupCommand::view).toList())));
    } else {
      out.printf("%-30s %10s %9s %11s %12s %12s %10s %12s%n", "mode", "behind", "items", "startup ms", "catch-up ms",
          "entries/s", "snapshot", "data MiB");
      for (CatchupBench.Result r : results) {
        out.printf("%-30s %10d %9d %11d %12d %12.0f %10s %12.1f%n", r.mode(), r.entriesBehind(), r.items(), r.startupMs(),
            r.catchupMs(), r.entriesPerSecond(), r.snapshotInstalled() ? "installed" : "no", r.followerDataBytes() / 1048576.0);
      }
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> view(CatchupBench.Result r) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("mode", r.mode());
    view.put("entries_behind", r.entriesBehind());
    view.put("items", r.items());
    view.put("startup_ms", r.startupMs());
    view.put("catchup_ms", r.catchupMs());
    view.put("entries_per_s", Math.round(r.entriesPerSecond()));
    view.put("snapshot_installed", r.snapshotInstalled());
    view.put("follower_data_bytes", r.followerDataBytes());
    view.put("write_errors", r.writeErrors());
    return view;
  }
}
