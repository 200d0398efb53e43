package org.ringrift.cluster.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The nodes' side at one moment: each node process's CPU time and context switches and
 * rrbench's own (a {@link ClusterMeter} sample), and the Raft meters of each node's /metrics.
 * Two samples give CPU shares, context switches and mean latencies over the window between them.
 */
record ServerSample(long nanoTime, ClusterMeter.Sample processes, List<Map<String, Double>> metrics) {
  static final String COMMIT_COUNT = "ringrift_raft_commit_seconds_count";
  static final String COMMIT_SUM = "ringrift_raft_commit_seconds_sum";
  static final String APPLY_COUNT = "ringrift_raft_apply_seconds_count";
  static final String APPLY_SUM = "ringrift_raft_apply_seconds_sum";
  static final String COMMIT_INDEX = "ringrift_raft_commit_index";
  private static final Set<String> NAMES = Set.of(COMMIT_COUNT, COMMIT_SUM, APPLY_COUNT, APPLY_SUM, COMMIT_INDEX);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(5);

  static ServerSample take(ClusterMeter meter, NodeProcesses nodes, HttpClient http) throws InterruptedException {
    List<Map<String, Double>> metrics = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      metrics.add(scrape(http, nodes.httpPort(i)));
    }
    return new ServerSample(System.nanoTime(), meter.sample(), metrics);
  }

  /** The meters rrbench reads from one node's Prometheus text; empty when the node does not answer. */
  static Map<String, Double> scrape(HttpClient http, int port) throws InterruptedException {
    Map<String, Double> values = new HashMap<>();
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(SCRAPE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return values;
      }
      for (String line : response.body().split("\n")) {
        int space = line.lastIndexOf(' ');
        if (line.startsWith("#") || space < 0) {
          continue;
        }
        String name = line.substring(0, space).trim();
        if (NAMES.contains(name)) {
          values.put(name, Double.parseDouble(line.substring(space + 1).trim()));
        }
      }
    } catch (IOException | NumberFormatException unreadable) {
      values.clear();
    }
    return values;
  }

  /** CPU of node i between {@code before} and this sample, in % of one core; -1 when unknown. */
  double nodeCpuPct(ServerSample before, int i) {
    return cpuPct(cpuNanos(before.processes.members().get(i)), cpuNanos(processes.members().get(i)), before);
  }

  double benchCpuPct(ServerSample before) {
    return cpuPct(cpuNanos(before.processes.bench()), cpuNanos(processes.bench()), before);
  }

  private static long cpuNanos(Optional<ProcessSample> sample) {
    return sample.map(ProcessSample::cpuNanos).orElse(-1L);
  }

  private double cpuPct(long from, long to, ServerSample before) {
    if (from < 0 || to < 0) {
      return -1;
    }
    return 100.0 * (to - from) / Math.max(1, nanoTime - before.nanoTime);
  }

  /** Mean of a Prometheus summary (count, sum in seconds) over the window, in ms, over the given nodes; null when unread. */
  Double meanMs(ServerSample before, List<Integer> nodes, String countName, String sumName) {
    double count = 0;
    double seconds = 0;
    for (int i : nodes) {
      Double c0 = before.metrics.get(i).get(countName);
      Double c1 = metrics.get(i).get(countName);
      Double s0 = before.metrics.get(i).get(sumName);
      Double s1 = metrics.get(i).get(sumName);
      if (c0 == null || c1 == null || s0 == null || s1 == null) {
        return null;
      }
      count += c1 - c0;
      seconds += s1 - s0;
    }
    return count == 0 ? null : 1000 * seconds / count;
  }

  /** Raft log entries committed per second on node i over the window; null when unread. */
  Double entriesPerSecond(ServerSample before, int i) {
    Double from = before.metrics.get(i).get(COMMIT_INDEX);
    Double to = metrics.get(i).get(COMMIT_INDEX);
    if (from == null || to == null) {
      return null;
    }
    return (to - from) * 1e9 / Math.max(1, nanoTime - before.nanoTime);
  }
}
