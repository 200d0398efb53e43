package org.ringrift.cluster.bench.load;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms a cluster with the workload about to be measured until its throughput settles: windows
 * of about {@code --warmup-window} each (a window is a short closed-loop pass with its own
 * clients, sized from the previous window's throughput, as a measured run is), until the last
 * {@link WarmupSettings#SETTLE_WINDOWS} are within the tolerance or {@code --warmup-max} has
 * passed. A window starts only before the maximum, so the warm-up can overrun it by one window.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  /** The first window's size: its throughput is unknown yet. */
  private static final int FIRST_OPS_PER_CLIENT = 10;
  private static final int FIRST_OPS_MIN = 50;
  /** A window whose throughput collapsed stops at this many window lengths. */
  private static final int WINDOW_LIMIT_FACTOR = 3;

  private final WarmupSettings settings;

  Warmup(WarmupSettings settings) {
    this.settings = settings;
  }

  WarmupResult settle(LoadRunner runner, Workload workload, int clients, byte[] payload) throws Exception {
    if (settings.off()) {
      return WarmupResult.off();
    }
    long began = System.nanoTime();
    List<Double> rates = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    long errors = 0;
    int ops = Math.max(FIRST_OPS_MIN, clients * FIRST_OPS_PER_CLIENT);
    boolean settled = false;
    while (!settled && System.nanoTime() - began < settings.max().toNanos()
        && rates.size() < WarmupSettings.MAX_WINDOWS) {
      LoadRunner.Window window = runner.window(workload, clients, ops,
          settings.window().multipliedBy(WINDOW_LIMIT_FACTOR), payload);
      rates.add(window.opsPerSecond());
      cpu.add(window.cpuMsPerOp());
      errors += window.errors();
      settled = settings.settled(rates);
      ops = nextOps(window.opsPerSecond(), clients);
    }
    long ms = (System.nanoTime() - began) / 1_000_000;
    LOG.info("warm-up done target={} workload={} clients={} settled={} ms={} windows={} errors={}",
        runner.targetName(), workload.label(), clients, settled, ms, rates.size(), errors);
    return new WarmupResult(ms, settings.window().toMillis(), rates, cpu, settled, errors);
  }

  /**
   * Warms a running worker fleet: its claim rate is set by the fleet's schedule, not by the
   * cluster's speed, so it settles as soon as the fleet has ramped up. The cluster's CPU per call
   * is what falls while the nodes still compile, so both must settle: the claims per second and
   * the nodes' CPU per call (claims, completes and heartbeats) of the last windows.
   */
  WarmupResult settleFleet(WorkerFleet fleet, ClusterMeter meter) throws InterruptedException {
    if (settings.off()) {
      return WarmupResult.off();
    }
    long began = System.nanoTime();
    List<Double> rates = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    long errors = 0;
    boolean settled = false;
    while (!settled && System.nanoTime() - began < settings.max().toNanos()
        && rates.size() < WarmupSettings.MAX_WINDOWS) {
      ClusterMeter.Sample before = meter.sample();
      WorkerFleet.Totals from = fleet.totals();
      long start = System.nanoTime();
      Thread.sleep(settings.window().toMillis());
      WorkerFleet.Totals to = fleet.totals();
      double seconds = (System.nanoTime() - start) / 1e9;
      ClusterMeter.Sample after = meter.sample();
      long calls = to.calls() - from.calls();
      rates.add((to.claims() - from.claims()) / seconds);
      cpu.add(meter.between(before, after).filter(u -> calls > 0).map(u -> u.cpuMs() / calls).orElse(null));
      errors += to.errors() - from.errors();
      settled = settings.settled(rates)
          && settings.settled(cpu.stream().map(v -> v == null ? 0.0 : v).toList());
    }
    long ms = (System.nanoTime() - began) / 1_000_000;
    LOG.info("warm-up done target=workers settled={} ms={} windows={} errors={}", settled, ms, rates.size(), errors);
    return new WarmupResult(ms, settings.window().toMillis(), rates, cpu, settled, errors);
  }

  /** Operations for one window at the throughput just seen, at least one per client. */
  private int nextOps(double opsPerSecond, int clients) {
    double ops = opsPerSecond * settings.window().toNanos() / 1e9;
    return (int) Math.max(clients, Math.min(Rrbench.MAX_OPS, Math.round(ops)));
  }
}
