package org.ringrift.cluster.bench.load;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * One measured run: successful operations, errors, throughput, latency percentiles in ms, and
 * what the cluster's processes used for it (empty when rrbench did not start them).
 */
record RunResult(String target, String workload, int clients, long ops, long errors, double throughputOpsS,
    double p50Ms, double p99Ms, double p999Ms, double maxMs, Optional<ClusterUsage> usage) {

  static RunResult of(String target, Workload workload, int clients, long errors, long elapsedNanos,
      Histogram micros, Optional<ClusterUsage> usage) {
    long ops = micros.getTotalCount();
    return new RunResult(target, workload.label(), clients, ops, errors, ops * 1e9 / Math.max(1, elapsedNanos),
        micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
        micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0, usage);
  }

  /** The run of median throughput (the lower middle one of an even count). */
  static RunResult median(List<RunResult> runs) {
    List<RunResult> sorted = runs.stream().sorted(Comparator.comparingDouble(RunResult::throughputOpsS)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  /**
   * The JSON shape of issue 7 (workload, clients, ops, errors, throughput_ops_s, latency_ms) and
   * of issue 16: cpu_ms_per_op and context_switches_per_op summed over the cluster's processes,
   * client_cpu_ms_per_op (rrbench's JVM), and each process's share under nodes.
   */
  Map<String, Object> view() {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", round(p50Ms));
    latency.put("p99", round(p99Ms));
    latency.put("p999", round(p999Ms));
    latency.put("max", round(maxMs));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("target", target);
    view.put("workload", workload);
    view.put("clients", clients);
    view.put("ops", ops);
    view.put("errors", errors);
    view.put("throughput_ops_s", round(throughputOpsS));
    view.put("latency_ms", latency);
    if (usage.isPresent()) {
      view.putAll(usage.get().view(ops));
    } else {
      view.put("cpu_ms_per_op", null);
      view.put("context_switches_per_op", null);
      view.put("jit_cpu_pct", null);
      view.put("client_cpu_ms_per_op", null);
      view.put("nodes", List.of());
    }
    return view;
  }

  String row() {
    String cpu = usage.isEmpty() || ops == 0 ? "-" : String.format("%.2f", usage.get().cpuMsPerOp(ops));
    String switches = usage.isEmpty() || ops == 0 ? "-" : String.format("%.1f", usage.get().contextSwitchesPerOp(ops));
    String jit = usage.isEmpty() || Double.isNaN(usage.get().jitCpuPct()) ? "-"
        : String.format("%.1f", usage.get().jitCpuPct());
    return String.format("%-9s %-15s %7d %8d %6d %12.1f %9.2f %9.2f %9.2f %9.2f %10s %8s %5s", target, workload,
        clients, ops, errors, throughputOpsS, p50Ms, p99Ms, p999Ms, maxMs, cpu, switches, jit);
  }

  static String header() {
    return String.format("%-9s %-15s %7s %8s %6s %12s %9s %9s %9s %9s %10s %8s %5s", "target", "workload", "clients",
        "ops", "errors", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "cpu ms/op", "cs/op", "jit%");
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
