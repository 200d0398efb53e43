package org.ringrift.cluster.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one member process used over a window: CPU (ns), context switches of the threads alive at
 * its end, how many threads started and ended in it (switches of threads that ended in the
 * window are not counted, so many ended threads mean the count is low), and the CPU of its JIT
 * compiler threads (ns, in clock ticks: 10 ms steps).
 */
record NodeUsage(String id, long cpuNanos, long contextSwitches, int threadsStarted, int threadsEnded,
    long jitCpuNanos) {
  double cpuMs() {
    return cpuNanos / 1e6;
  }

  double jitCpuMs() {
    return jitCpuNanos / 1e6;
  }

  Map<String, Object> view(long ops) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("cpu_ms", Percentiles.round(cpuMs()));
    view.put("context_switches", contextSwitches);
    view.put("cpu_ms_per_op", ops == 0 ? null : Percentiles.round(cpuMs() / ops));
    view.put("context_switches_per_op", ops == 0 ? null : Percentiles.round((double) contextSwitches / ops));
    view.put("jit_cpu_ms", Percentiles.round(jitCpuMs()));
    view.put("threads_started", threadsStarted);
    view.put("threads_ended", threadsEnded);
    return view;
  }
}
