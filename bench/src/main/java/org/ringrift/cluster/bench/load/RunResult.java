package org.ringrift.cluster.bench.load;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.HdrHistogram.Histogram;

/** One measured run: successful operations, errors, throughput, latency percentiles in ms. */
record RunResult(String target, String workload, int clients, long ops, long errors, double throughputOpsS,
    double p50Ms, double p99Ms, double p999Ms, double maxMs) {

  static RunResult of(String target, Workload workload, int clients, long errors, long elapsedNanos,
      Histogram micros) {
    long ops = micros.getTotalCount();
    return new RunResult(target, workload.label(), clients, ops, errors, ops * 1e9 / Math.max(1, elapsedNanos),
        micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
        micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0);
  }

  /** The run of median throughput (the lower middle one of an even count). */
  static RunResult median(List<RunResult> runs) {
    List<RunResult> sorted = runs.stream().sorted(Comparator.comparingDouble(RunResult::throughputOpsS)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** The JSON shape of issue 7: workload, clients, ops, errors, throughput_ops_s, latency_ms. */
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
    return view;
  }

  String row() {
    return String.format("%-9s %-15s %7d %8d %6d %12.1f %9.2f %9.2f %9.2f %9.2f", target, workload, clients, ops,
        errors, throughputOpsS, p50Ms, p99Ms, p999Ms, maxMs);
  }

  static String header() {
    return String.format("%-9s %-15s %7s %8s %6s %12s %9s %9s %9s %9s", "target", "workload", "clients", "ops",
        "errors", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms");
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
