package org.ringrift.cluster.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One warm-up: how long it took, the throughput of each window (ops/s; claims/s in rrbench
 * workers), the cluster's CPU per operation and its JIT compiler threads' share of that CPU in
 * each window (null where not measured), and whether it settled or ran into its maximum.
 */
record WarmupResult(long ms, double windowMs, List<Double> windows, List<Double> cpuMsPerOp, List<Double> jitCpuPct,
    boolean settled, long errors) {
  static WarmupResult off() {
    return new WarmupResult(0, 0, List.of(), List.of(), List.of(), false, 0);
  }

  /** settled, max_reached (the windows never settled within --warmup-max), or off. */
  String outcome() {
    return settled ? "settled" : windows.isEmpty() ? "off" : "max_reached";
  }

  Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("warmup_ms", ms);
    view.put("warmup_settled", settled);
    view.put("warmup_outcome", outcome());
    view.put("warmup_window_ms", Math.round(windowMs));
    view.put("warmup_windows", windows.stream().map(v -> Math.round(v * 10) / 10.0).toList());
    view.put("warmup_cpu_ms_per_op", rounded(cpuMsPerOp));
    view.put("warmup_jit_cpu_pct", rounded(jitCpuPct));
    view.put("warmup_errors", errors);
    return view;
  }

  private static List<Double> rounded(List<Double> values) {
    List<Double> rounded = new ArrayList<>();
    for (Double v : values) {
      rounded.add(v == null || v.isNaN() ? null : Percentiles.round(v));
    }
    return rounded;
  }

  /** One line for the table output; a warm-up that ran into its maximum says so. */
  String line(String label, String rateUnit, String cpuUnit) {
    if (outcome().equals("off")) {
      return "warm-up " + label + ": off";
    }
    StringBuilder rates = new StringBuilder();
    for (double v : windows) {
      rates.append(String.format(" %.0f", v));
    }
    return String.format("warm-up %s: %s after %.1f s, %d windows; %s per window:%s; node cpu %s:%s; jit %%:%s%s",
        label, settled ? "settled" : "NOT SETTLED (reached --warmup-max)", ms / 1000.0, windows.size(), rateUnit,
        rates, cpuUnit, format(cpuMsPerOp, " %.2f"), format(jitCpuPct, " %.0f"),
        errors > 0 ? "; " + errors + " errors" : "");
  }

  private static String format(List<Double> values, String each) {
    StringBuilder text = new StringBuilder();
    for (Double v : values) {
      text.append(v == null || v.isNaN() ? " -" : String.format(each, v));
    }
    return text.toString();
  }
}
