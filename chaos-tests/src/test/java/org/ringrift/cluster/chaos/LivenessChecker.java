package org.ringrift.cluster.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonInfo;

/**
 * Liveness after a fault heals, which no safety checker sees: a node that refuses every write
 * forever breaks no invariant. Within a bound, every node must accept writes through its OWN
 * admin endpoint (a client pinned to that endpoint, no failover: the node's own write path to
 * the leader is what is being checked), answer {@code /health/ready} with 200, and list no
 * daemon in state FAILED. Each node is polled on its own thread until all three hold in one
 * probe or the bound passes; a node that does not make it is a problem naming the node, what
 * failed and the last error, and the run goes on.
 *
 * <p>The writes set a per-node config key ({@link #KEYS}: the pending cap of a work type no
 * workload enqueues, set far above the queue's hard limit, so it changes nothing), which the
 * register and queue checkers never look at; they are not recorded in the history.
 */
final class LivenessChecker implements AutoCloseable {
  /** How long after a heal every node has to be live again (docs/CHAOS.md, docs/RUNBOOK.md). */
  static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);
  /** -Dchaos.liveBound=PT10S overrides {@link #DEFAULT_BOUND}. */
  static final String BOUND_PROPERTY = "chaos.liveBound";
  static final Duration MAX_BOUND = Duration.ofMinutes(10);
  /** One config key per node index; none is read by the workloads or the checkers. */
  static final List<String> KEYS = List.of("queue.pending_cap.training", "queue.pending_cap.gpu_cmaes",
      "queue.pending_cap.cpu_cmaes", "queue.pending_cap.gauntlet", "queue.pending_cap.data_merge",
      "queue.pending_cap.data_sync", "queue.pending_cap.validation", "queue.pending_cap.hyperparam_sweep",
      "queue.pending_cap.tournament");
  /** Pending caps the checker writes: far above queue.pending_hard_limit's maximum use here, below the key's 1,000,000. */
  private static final long FIRST_VALUE = 100_000;
  private static final long VALUES = 900_000;
  private static final long POLL_MS = 200;
  /** A probe with less time than this left is not started: its error would only say the deadline passed. */
  private static final long MIN_PROBE_MS = 300;
  /** No single call may hold a probe longer than this, so that a node gets several tries within the bound. */
  private static final Duration MAX_CALL = Duration.ofSeconds(5);
  private static final Duration DIAGNOSE_CALL = Duration.ofSeconds(2);

  /** What one node showed: live (and how long after the heal), or the failure of its last probe. */
  record NodeResult(String node, boolean live, Duration took, String failure) {}

  /** One check after one heal. */
  record Check(String after, Duration bound, List<NodeResult> nodes) {
    boolean live() {
      return nodes.stream().allMatch(NodeResult::live);
    }

    /** The time the slowest live node took (the bound if one never became live). */
    Duration timeToLive() {
      return live() ? nodes.stream().map(NodeResult::took).max(Duration::compareTo).orElse(Duration.ZERO) : bound;
    }

    List<String> problems() {
      List<String> problems = new ArrayList<>();
      for (NodeResult n : nodes) {
        if (!n.live()) {
          int split = n.failure().indexOf(": ");
          String what = split < 0 ? n.failure() : n.failure().substring(0, split);
          String detail = split < 0 ? "" : n.failure().substring(split);
          problems.add("liveness " + n.node() + ": " + what + " within " + seconds(bound) + " after " + after + detail);
        }
      }
      return problems;
    }

    String summary() {
      List<String> perNode = nodes.stream().map(n -> n.node() + " " + (n.live() ? millis(n.took()) : "never")).toList();
      return "after " + after + ": " + (live() ? "every node live in " + millis(timeToLive())
          : "NOT LIVE within " + seconds(bound)) + " (" + String.join(", ", perNode) + ")";
    }
  }

  private final ChaosCluster cluster;
  private final Duration bound;
  private final int writes;
  private final HttpClient http;
  private final ExecutorService probes;
  private final AtomicLong nextValue = new AtomicLong();

  /** {@code writes}: consecutive writes a probe needs through the node's own endpoint (1 in chaos runs). */
  LivenessChecker(ChaosCluster cluster, Duration bound, int writes) {
    if (writes < 1 || writes > 100) {
      throw new IllegalArgumentException("writes per probe " + writes + " must be 1-100");
    }
    if (cluster.size() > KEYS.size()) {
      throw new IllegalArgumentException("cluster of " + cluster.size() + " nodes: the checker has liveness keys for "
          + KEYS.size());
    }
    this.cluster = cluster;
    this.bound = bound;
    this.writes = writes;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DIAGNOSE_CALL).build();
    this.probes = Executors.newFixedThreadPool(cluster.size(), r -> {
      Thread t = new Thread(r, "liveness-probe");
      t.setDaemon(true);
      return t;
    });
  }

  /** The bound from -Dchaos.liveBound (ISO-8601, e.g. PT10S), else {@link #DEFAULT_BOUND}. */
  static Duration bound() {
    String value = System.getProperty(BOUND_PROPERTY, "");
    if (value.isBlank()) {
      return DEFAULT_BOUND;
    }
    Duration parsed;
    try {
      parsed = Duration.parse(value.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("-D" + BOUND_PROPERTY + "=" + value + " is not an ISO-8601 duration like PT10S");
    }
    if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(MAX_BOUND) > 0) {
      throw new IllegalArgumentException("-D" + BOUND_PROPERTY + "=" + value + " must be above zero and at most "
          + MAX_BOUND);
    }
    return parsed;
  }

  /**
   * Polls every node until all are live or {@code bound} has passed since {@code sinceNanos}
   * (System.nanoTime() when the heal finished); {@code after} names the heal for the report.
   */
  Check await(String after, long sinceNanos) throws InterruptedException {
    long deadline = sinceNanos + bound.toNanos();
    List<Future<NodeResult>> pending = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      int node = i;
      pending.add(probes.submit(() -> untilLive(node, sinceNanos, deadline)));
    }
    List<NodeResult> results = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      try {
        // Every probe ends by the deadline plus one call and a diagnosis; the margin only guards a hung call.
        long waitNanos = Math.max(0, deadline - System.nanoTime()) + MAX_CALL.toNanos() * 3;
        results.add(pending.get(i).get(waitNanos, TimeUnit.NANOSECONDS));
      } catch (ExecutionException e) {
        results.add(new NodeResult(cluster.id(i), false, bound, "probe failed: " + e.getCause()));
      } catch (TimeoutException e) {
        pending.get(i).cancel(true);
        results.add(new NodeResult(cluster.id(i), false, bound, "probe hung: no answer from the probe thread"));
      }
    }
    return new Check(after, bound, results);
  }

  private NodeResult untilLive(int node, long sinceNanos, long deadline) throws InterruptedException {
    String failure = "never probed: the bound had passed";
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining < MIN_PROBE_MS * 1_000_000) {
        break;
      }
      Duration call = Duration.ofNanos(Math.min(remaining, MAX_CALL.toNanos()));
      String problem = probe(node, call);
      if (problem == null) {
        return new NodeResult(cluster.id(node), true, Duration.ofNanos(System.nanoTime() - sinceNanos), "");
      }
      failure = problem;
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
    return new NodeResult(cluster.id(node), false, bound, failure + diagnose(node, failure));
  }

  /** One probe: the writes, then readiness, then the daemons; null if all hold, else "what: detail". */
  private String probe(int node, Duration call) {
    Endpoint own = cluster.endpoint(node);
    String key = KEYS.get(node);
    // Pinned: a reply names the leader, and an ordinary client would go there instead of proving this node serves.
    try (ClusterClient client = ClusterClient.pinnedTo(own, call)) {
      for (int k = 0; k < writes; k++) {
        String value = Long.toString(FIRST_VALUE + nextValue.getAndIncrement() % VALUES);
        try {
          ConfigEntry entry = client.setConfig(key, value);
          if (!entry.getValue().equals(value)) {
            return "write " + (k + 1) + " of " + writes + " through its own endpoint answered " + key + " = "
                + entry.getValue() + ": expected " + value;
          }
        } catch (ClusterException e) {
          return (k == 0 ? "no write accepted through its own endpoint" : "only " + k + " of " + writes
              + " writes accepted through its own endpoint") + ": " + e.kind() + " " + e.getMessage();
        } catch (RuntimeException e) {
          return "no write accepted through its own endpoint: " + e;
        }
      }
      String ready = readiness(node, call);
      if (ready != null) {
        return ready;
      }
      return failedDaemons(client, own);
    }
  }

  /** null if /health/ready answers 200, else "what: detail". */
  private String readiness(int node, Duration call) {
    URI uri = URI.create("http://" + cluster.host(node) + ":" + cluster.httpPort(node) + "/health/ready");
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(call).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? null
          : "/health/ready answered " + response.statusCode() + ": " + response.body().trim();
    } catch (IOException e) {
      return "/health/ready did not answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "/health/ready: interrupted";
    }
  }

  /** null if the node lists no FAILED daemon, else "what: detail". */
  private static String failedDaemons(ClusterClient client, Endpoint own) {
    try {
      List<String> failed = new ArrayList<>();
      for (DaemonInfo daemon : client.listDaemons(own).getDaemonsList()) {
        if (daemon.getState().equals("FAILED")) {
          failed.add(daemon.getName() + " (restarts " + daemon.getRestarts() + ", last error " + daemon.getLastError()
              + ")");
        }
      }
      return failed.isEmpty() ? null : "daemons FAILED: " + String.join(", ", failed);
    } catch (RuntimeException e) {
      return "ListDaemons did not answer: " + e.getMessage();
    }
  }

  /** What else is wrong with a node that never became live (readiness and daemons, if the last probe stopped earlier). */
  private String diagnose(int node, String failure) {
    StringBuilder more = new StringBuilder();
    if (!failure.startsWith("/health/ready") && !failure.startsWith("daemons") && !failure.startsWith("ListDaemons")) {
      String ready = readiness(node, DIAGNOSE_CALL);
      more.append("; ").append(ready == null ? "/health/ready answered 200" : ready);
    }
    if (!failure.startsWith("daemons") && !failure.startsWith("ListDaemons")) {
      try (ClusterClient client = ClusterClient.pinnedTo(cluster.endpoint(node), DIAGNOSE_CALL)) {
        String daemons = failedDaemons(client, cluster.endpoint(node));
        more.append("; ").append(daemons == null ? "no daemon FAILED" : daemons);
      }
    }
    return more.toString();
  }

  static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
