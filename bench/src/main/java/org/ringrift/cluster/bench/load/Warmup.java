package org.ringrift.cluster.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms a cluster with the workload about to be measured until it settles: windows of
 * {@code --warmup-window} each, until the last {@link WarmupSettings#SETTLE_WINDOWS} have
 * throughput within the tolerance with the JIT compilers quiet (see {@link WarmupSettings}), or
 * {@code --warmup-max} has passed. A window starts only before the maximum, so the warm-up can
 * overrun it by one window.
 *
 * <p>A window is a closed-loop pass with fresh clients, as a measured run is (the workloads'
 * clients need their operations, such as items to claim, prepared before timing starts). Each
 * client first makes one unmeasured call, so connecting is not counted, and every client stops
 * at the window's end, so no straggler tail lowers the rate: the clients get half again the
 * operations the previous window's rate would need, and the ones left over are never used.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  /** The first window's size: its throughput is unknown yet. */
  private static final int FIRST_OPS_PER_CLIENT = 10;
  private static final int FIRST_OPS_MIN = 50;
  /** Operations a window's clients get, relative to what the previous window's rate needs. */
  private static final double BUDGET_MARGIN = 1.5;

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
    List<Double> jit = new ArrayList<>();
    long errors = 0;
    int ops = Math.max(FIRST_OPS_MIN, clients * FIRST_OPS_PER_CLIENT);
    boolean settled = false;
    while (!settled && System.nanoTime() - began < settings.max().toNanos()
        && rates.size() < WarmupSettings.MAX_WINDOWS) {
      LoadRunner.Window window = runner.window(workload, clients, ops, settings.window(), payload);
      rates.add(window.opsPerSecond());
      cpu.add(window.cpuMsPerOp());
      jit.add(window.jitCpuPct());
      errors += window.errors();
      settled = settings.settled(rates) && settings.compilersQuiet(jit);
      ops = nextOps(window.opsPerSecond(), clients);
    }
    long ms = (System.nanoTime() - began) / 1_000_000;
    LOG.info("warm-up done target={} workload={} clients={} settled={} ms={} windows={} errors={}",
        runner.targetName(), workload.label(), clients, settled, ms, rates.size(), errors);
    return new WarmupResult(ms, settings.window().toMillis(), rates, cpu, jit, settled, errors);
  }

  /**
   * Warms a running worker fleet: its claim rate is set by the fleet's schedule, not by the
   * cluster's speed, so it settles as soon as the fleet has ramped up. The cluster's CPU per call
   * is what falls while the nodes still compile, so both must settle: the claims per second and
   * the nodes' CPU per call (claims, completes and heartbeats) of the last windows, with the JIT
   * compilers quiet.
   */
  WarmupResult settleFleet(WorkerFleet fleet, ClusterMeter meter) throws InterruptedException {
    if (settings.off()) {
      return WarmupResult.off();
    }
    long began = System.nanoTime();
    List<Double> rates = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> jit = new ArrayList<>();
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
      Optional<ClusterUsage> usage = meter.between(before, after);
      cpu.add(usage.filter(u -> calls > 0).map(u -> u.cpuMs() / calls).orElse(null));
      jit.add(usage.map(ClusterUsage::jitCpuPct).filter(v -> !v.isNaN()).orElse(null));
      errors += to.errors() - from.errors();
      settled = settings.settled(rates) && settings.compilersQuiet(jit)
          && settings.settled(cpu.stream().map(v -> v == null ? 0.0 : v).toList());
    }
    long ms = (System.nanoTime() - began) / 1_000_000;
    LOG.info("warm-up done target=workers settled={} ms={} windows={} errors={}", settled, ms, rates.size(), errors);
    return new WarmupResult(ms, settings.window().toMillis(), rates, cpu, jit, settled, errors);
  }

  /** Operations for one window at the throughput just seen, with the margin; at least one per client. */
  private int nextOps(double opsPerSecond, int clients) {
    double ops = BUDGET_MARGIN * opsPerSecond * settings.window().toNanos() / 1e9;
    return (int) Math.max(clients, Math.min(Rrbench.MAX_OPS, Math.round(ops)));
  }
}
