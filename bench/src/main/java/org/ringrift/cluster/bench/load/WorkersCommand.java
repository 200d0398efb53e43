package org.ringrift.cluster.bench.load;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * rrbench workers: a fleet of simulated worker-only nodes against a real 3-node process cluster,
 * in steps of growing size, to find how many workers the cluster serves with p99 claim latency
 * under 100 ms, and what the leader's CPU and the commit latency are at each size.
 */
@Command(name = "workers", mixinStandardHelpOptions = true,
    description = "Simulated worker-only nodes heartbeating and claiming work, in steps of growing fleet size; "
        + "reports claim, complete and heartbeat latency, the leader's CPU and commit latency per step, and the "
        + "largest step that held p99 claim latency under 100 ms.")
final class WorkersCommand implements Callable<Integer> {
  static final int MAX_WORKERS = 5000;
  private static final int MAX_STEPS = 20;
  private static final int MAX_CONNECTIONS = 512;
  private static final int MAX_BACKLOG = 100_000;
  private static final int PAYLOAD_BYTES = 256;
  /** Deep queues measure claims, not backpressure (as RingRiftTarget does). */
  private static final String PENDING_LIMIT = "1000000";
  private static final Duration PREFILL = Duration.ofSeconds(60);
  private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(names = "--workers", split = ",", defaultValue = "100,250,500,1000",
      description = "Fleet size per step, comma separated; steps run smallest first (default: ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
      description = "Measured time per step, e.g. 60s, 2m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
      description = "Unmeasured ramp-up time per step after its workers start, before the settling warm-up "
          + "(default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Mixin WarmupOptions warmupOptions = new WarmupOptions();

  @Option(names = "--job-ms", defaultValue = "2000",
      description = "How long a worker holds a claimed item before completing it; claims/s = workers / job seconds "
          + "(default: ${DEFAULT-VALUE}).")
  long jobMs;

  @Option(names = "--heartbeat-ms", defaultValue = "15000",
      description = "Heartbeat interval of each worker; rrnode's production default (default: ${DEFAULT-VALUE}).")
  long heartbeatMs;

  @Option(names = "--idle-ms", defaultValue = "5000",
      description = "Wait before claiming again after an empty or failed claim; the worker agent's tick "
          + "(default: ${DEFAULT-VALUE}).")
  long idleMs;

  @Option(names = "--connections", defaultValue = "32",
      description = "Client connections, one per load thread, shared by all workers (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--backlog", defaultValue = "2000",
      description = "Items the feeder keeps pending ahead of the workers (default: ${DEFAULT-VALUE}).")
  int backlog;

  @Option(names = "--timeout-ms", defaultValue = "10000", description = "Deadline of one client call (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the heartbeat and first-claim offsets (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Mixin ClusterStartOptions start = new ClusterStartOptions();

  void validate() {
    Rrbench.check("--workers", !workers.isEmpty() && workers.size() <= MAX_STEPS, "1.." + MAX_STEPS + " steps");
    Rrbench.check("--workers", workers.stream().allMatch(w -> w >= 1 && w <= MAX_WORKERS), "each 1.." + MAX_WORKERS);
    Rrbench.check("--duration", duration.compareTo(Duration.ofSeconds(1)) >= 0 && duration.compareTo(Duration.ofHours(1)) <= 0,
        "1s..60m");
    Rrbench.check("--warmup", !warmup.isNegative() && warmup.compareTo(Duration.ofMinutes(10)) <= 0, "0s..10m");
    // Below a third of the lease the real worker agent would not extend it either.
    long maxJobMs = WorkerFleet.LEASE.toMillis() / 3;
    Rrbench.check("--job-ms", jobMs >= 10 && jobMs <= maxJobMs, "10.." + maxJobMs);
    Rrbench.check("--heartbeat-ms", heartbeatMs >= 100 && heartbeatMs <= 3_600_000, "100..3600000");
    Rrbench.check("--idle-ms", idleMs >= 10 && idleMs <= 60_000, "10..60000");
    Rrbench.check("--connections", connections >= 1 && connections <= MAX_CONNECTIONS, "1.." + MAX_CONNECTIONS);
    Rrbench.check("--backlog", backlog >= QueueFeeder.BATCH && backlog <= MAX_BACKLOG,
        QueueFeeder.BATCH + ".." + MAX_BACKLOG);
    Rrbench.check("--timeout-ms", timeoutMs >= 100 && timeoutMs <= 600_000, "100..600000");
    Rrbench.check("--output", output.equals("table") || output.equals("json"), "table or json");
    warmupSettings().validate("--warmup");
  }

  WarmupSettings warmupSettings() {
    return warmupOptions.settings();
  }

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    boolean table = output.equals("table");
    List<Integer> steps = workers.stream().distinct().sorted().toList();
    Duration timeout = Duration.ofMillis(timeoutMs);
    Path parent = start.tempParent();
    List<WorkersStep> results = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (Clusters clusters = new Clusters(parent, start.keep)) {
      NodeProcesses nodes = clusters.startRingRift(start.repoRoot(), start.nodeArgs);
      ClusterMeter meter = ClusterMeter.of(nodes);
      try (ClusterClient admin = new ClusterClient(nodes.endpoints(), timeout);
          QueueFeeder feeder = new QueueFeeder(new ClusterClient(nodes.endpoints(), timeout), backlog,
              Rrbench.payload(PAYLOAD_BYTES))) {
        admin.setConfig("queue.pending_hard_limit", PENDING_LIMIT);
        admin.setConfig("queue.pending_soft_limit", PENDING_LIMIT);
        feeder.start();
        feeder.awaitBacklog(PREFILL);
        if (table) {
          out.printf("%d workers max; job %d ms, heartbeat every %d ms, %d connections, %s warm-up + %s per step; "
              + "latencies in ms, CPU in %% of one core (%d cores)%n", steps.get(steps.size() - 1), jobMs, heartbeatMs,
              connections, warmup.toMillis() / 1000.0 + " s", duration.toMillis() / 1000.0 + " s",
              Runtime.getRuntime().availableProcessors());
          out.println(WorkersStep.header());
          out.flush();
        }
        for (int size : steps) {
          WorkersStep step = step(nodes, meter, admin, feeder, http, size, timeout);
          results.add(step);
          if (table) {
            out.println(step.row());
            out.flush();
          }
        }
      }
    }
    Optional<Integer> held = results.stream().filter(WorkersStep::heldClaimLimit).map(WorkersStep::workers)
        .max(Integer::compare);
    if (table) {
      out.println("largest step with p99 claim latency under 100 ms: " + held.map(String::valueOf).orElse("none"));
    } else {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("cores", Runtime.getRuntime().availableProcessors());
      view.put("job_ms", jobMs);
      view.put("heartbeat_ms", heartbeatMs);
      view.put("connections", connections);
      view.put("warmup_s", warmup.toMillis() / 1000.0);
      view.put("warmup_max_s", warmupOptions.warmupMax.toMillis() / 1000.0);
      view.put("duration_s", duration.toMillis() / 1000.0);
      view.put("steps", results.stream().map(WorkersStep::view).toList());
      view.put("max_workers_p99_claim_under_100ms", held.orElse(null));
      out.println(Json.write(view));
    }
    out.flush();
    return 0;
  }

  private WorkersStep step(NodeProcesses nodes, ClusterMeter meter, ClusterClient admin, QueueFeeder feeder,
      HttpClient http, int size, Duration timeout) throws Exception {
    WorkerFleet.Settings settings = new WorkerFleet.Settings(size, Duration.ofMillis(jobMs),
        Duration.ofMillis(heartbeatMs), Duration.ofMillis(idleMs), connections, timeout, seed);
    try (WorkerFleet fleet = new WorkerFleet(nodes.endpoints(), settings, feeder::claimed)) {
      fleet.start();
      Thread.sleep(warmup.toMillis());
      WarmupResult warm = new Warmup(warmupSettings()).settleFleet(fleet, meter);
      int leader = nodes.awaitReadyLeader(admin, LEADER_WAIT);
      long feederErrors = feeder.errors();
      ServerSample before = ServerSample.take(meter, nodes, http);
      fleet.beginWindow();
      Thread.sleep(duration.toMillis());
      WorkerFleet.Window window = fleet.endWindow();
      ServerSample after = ServerSample.take(meter, nodes, http);
      Optional<Integer> leaderAfter = nodes.readyLeader(admin);
      fleet.stop();
      List<Integer> all = new ArrayList<>();
      List<Double> followers = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        all.add(i);
        if (i != leader) {
          followers.add(after.nodeCpuPct(before, i));
        }
      }
      double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
      return new WorkersStep(size, seconds, window, feeder.errors() - feederErrors, nodes.id(leader),
          leaderAfter.isEmpty() || leaderAfter.get() != leader, after.nodeCpuPct(before, leader), followers,
          after.benchCpuPct(before),
          after.meanMs(before, all, ServerSample.COMMIT_COUNT, ServerSample.COMMIT_SUM),
          after.meanMs(before, List.of(leader), ServerSample.APPLY_COUNT, ServerSample.APPLY_SUM),
          after.entriesPerSecond(before, leader), warm, meter.between(before.processes(), after.processes()));
    }
  }
}
