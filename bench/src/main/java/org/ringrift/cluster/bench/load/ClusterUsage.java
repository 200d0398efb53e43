package org.ringrift.cluster.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every member's usage over one window, and rrbench's own (the client side of the same window). */
record ClusterUsage(List<NodeUsage> nodes, Optional<NodeUsage> bench) {
  double cpuMs() {
    return nodes.stream().mapToDouble(NodeUsage::cpuMs).sum();
  }

  long contextSwitches() {
    return nodes.stream().mapToLong(NodeUsage::contextSwitches).sum();
  }

  double jitCpuMs() {
    return nodes.stream().mapToDouble(NodeUsage::jitCpuMs).sum();
  }

  /** The JIT compiler threads' share of the members' CPU, %; NaN when they used none. */
  double jitCpuPct() {
    return cpuMs() == 0 ? Double.NaN : 100 * jitCpuMs() / cpuMs();
  }

  int threadsEnded() {
    return nodes.stream().mapToInt(NodeUsage::threadsEnded).sum();
  }

  /** Cluster CPU per operation in ms; NaN without operations. */
  double cpuMsPerOp(long ops) {
    return ops == 0 ? Double.NaN : cpuMs() / ops;
  }

  double contextSwitchesPerOp(long ops) {
    return ops == 0 ? Double.NaN : (double) contextSwitches() / ops;
  }

  /** Fields added to a run's view: sums over the members per operation, then each member. */
  Map<String, Object> view(long ops) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("cpu_ms_per_op", ops == 0 ? null : Percentiles.round(cpuMsPerOp(ops)));
    view.put("context_switches_per_op", ops == 0 ? null : Percentiles.round(contextSwitchesPerOp(ops)));
    view.put("jit_cpu_pct", Double.isNaN(jitCpuPct()) ? null : Percentiles.round(jitCpuPct()));
    view.put("client_cpu_ms_per_op", ops == 0 || bench.isEmpty() ? null
        : Percentiles.round(bench.get().cpuMs() / ops));
    view.put("nodes", nodes.stream().map(n -> n.view(ops)).toList());
    return view;
  }
}
