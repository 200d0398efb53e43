package org.ringrift.cluster.bench.load;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The settling warm-up before a measurement (see {@link Warmup}); shared by the load and workers commands. */
final class WarmupOptions {
  @Option(names = "--warmup-max", defaultValue = "120s", converter = DurationConverter.class,
      description = "Longest settling warm-up per workload or step, before its first measurement: windows of the "
          + "same load until the throughput (and for workers the nodes' CPU per call) of the last 3 is within "
          + "--warmup-tolerance; 0s turns it off (default: ${DEFAULT-VALUE}).")
  Duration warmupMax;

  @Option(names = "--warmup-window", defaultValue = "2s", converter = DurationConverter.class,
      description = "Length of one warm-up window (default: ${DEFAULT-VALUE}).")
  Duration warmupWindow;

  @Option(names = "--warmup-tolerance", defaultValue = "1.10",
      description = "Settled when max / min of the last 3 windows is at most this (default: ${DEFAULT-VALUE}).")
  double warmupTolerance;

  @Option(names = "--warmup-jit-pct", defaultValue = "10",
      description = "Settled only when the node JVMs' JIT compiler threads used at most this %% of the "
          + "cluster's CPU in each of the last 3 windows; 100 turns it off (default: ${DEFAULT-VALUE}).")
  double warmupJitPct;

  WarmupSettings settings() {
    return new WarmupSettings(warmupMax, warmupWindow, warmupTolerance, warmupJitPct);
  }
}
