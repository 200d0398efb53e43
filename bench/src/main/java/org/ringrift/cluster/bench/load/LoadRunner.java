package org.ringrift.cluster.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed-loop load: each client sends its next operation when the previous one has answered.
 * Every client first runs its share of the warmup operations; then all start the measured ones
 * together, and throughput is the successful measured operations over the time from that start
 * until the last client finishes. Latency is per operation, in an HDR histogram (microseconds,
 * 3 significant digits). A closed loop has no intended send schedule, so there is no coordinated
 * omission to correct: a slow answer delays the next send and shows up as lower throughput.
 * The cluster's processes are sampled (CPU, context switches) just before the measured start and
 * just after the last client finishes, so the usage covers the measured operations only.
 */
final class LoadRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);
  /** Latencies above this are recorded as this (the histogram's range). */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);
  /** Failed operations logged per run; the rest are only counted. */
  private static final int LOGGED_ERRORS = 3;
  private static final long NO_LIMIT = Long.MAX_VALUE;

  private final Target target;
  private final ClusterMeter meter;

  LoadRunner(Target target, ClusterMeter meter) {
    this.target = target;
    this.meter = meter;
  }

  String targetName() {
    return target.name();
  }

  boolean measuresProcesses() {
    return meter.measures();
  }

  RunResult run(Workload workload, int clients, int ops, int warmup, byte[] payload) throws Exception {
    Pass pass = pass(workload, clients, Math.max(1, ops / clients), warmup / clients, NO_LIMIT, payload);
    return RunResult.of(target.name(), workload, clients, pass.errors(), pass.elapsedNanos(), pass.micros(),
        pass.usage());
  }

  /**
   * One warm-up window: each client makes one unmeasured call (it connects), then all run until
   * {@code limit} has passed or their share of {@code ops} is done.
   */
  Window window(Workload workload, int clients, int ops, Duration limit, byte[] payload) throws Exception {
    Pass pass = pass(workload, clients, Math.max(1, ops / clients), 1, limit.toNanos(), payload);
    return new Window(pass.micros().getTotalCount(), pass.errors(), pass.elapsedNanos(), pass.usage());
  }

  /** What one warm-up window did. */
  record Window(long ops, long errors, long elapsedNanos, Optional<ClusterUsage> usage) {
    double opsPerSecond() {
      return ops * 1e9 / Math.max(1, elapsedNanos);
    }

    /** The cluster's CPU per successful operation, ms; null when not measured or nothing succeeded. */
    Double cpuMsPerOp() {
      return usage.isEmpty() || ops == 0 ? null : usage.get().cpuMsPerOp(ops);
    }

    /** The JIT compiler threads' share of the cluster's CPU, %; null when not measured. */
    Double jitCpuPct() {
      return usage.map(ClusterUsage::jitCpuPct).filter(v -> !v.isNaN()).orElse(null);
    }
  }

  private record Pass(Histogram micros, long errors, long elapsedNanos, Optional<ClusterUsage> usage) {}

  private Pass pass(Workload workload, int clients, int perClient, int warmupPerClient, long limitNanos,
      byte[] payload) throws Exception {
    List<Target.Session> sessions = openSessions(workload, clients, perClient + warmupPerClient, payload);
    AtomicLong errors = new AtomicLong();
    AtomicLong measuredFrom = new AtomicLong();
    AtomicLong logged = new AtomicLong();
    AtomicReference<ClusterMeter.Sample> before = new AtomicReference<>();
    CyclicBarrier start = new CyclicBarrier(clients, () -> {
      before.set(meter.sample());
      measuredFrom.set(System.nanoTime());
    });
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Histogram>> futures = new ArrayList<>();
      for (Target.Session session : sessions) {
        futures.add(pool.submit(() -> {
          long n = 0;
          for (; n < warmupPerClient; n++) {
            attempt(session, n, null, null, logged);
          }
          start.await();
          long stopAt = measuredFrom.get() + limitNanos;
          Histogram micros = new Histogram(MAX_MICROS, 3);
          for (; n < warmupPerClient + perClient; n++) {
            if (limitNanos != NO_LIMIT && System.nanoTime() - stopAt >= 0) {
              break;
            }
            attempt(session, n, micros, errors, logged);
          }
          return micros;
        }));
      }
      Histogram all = new Histogram(MAX_MICROS, 3);
      for (Future<Histogram> future : futures) {
        all.add(future.get());
      }
      long elapsed = System.nanoTime() - measuredFrom.get();
      ClusterMeter.Sample after = meter.sample();
      return new Pass(all, errors.get(), elapsed, meter.between(before.get(), after));
    } finally {
      pool.shutdownNow();
      sessions.forEach(Target.Session::close);
    }
  }

  private void attempt(Target.Session session, long n, Histogram micros, AtomicLong errors, AtomicLong logged) {
    long began = System.nanoTime();
    try {
      session.op(n);
      if (micros != null) {
        micros.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - began) / 1000));
      }
    } catch (Exception e) {
      if (errors != null) {
        errors.incrementAndGet();
      }
      if (logged.incrementAndGet() <= LOGGED_ERRORS) {
        LOG.warn("operation failed target={} error={}", target.name(), e.toString());
      }
    }
  }

  /** Opens (and prefills) the clients in parallel, outside the measurement. */
  private List<Target.Session> openSessions(Workload workload, int clients, int ops, byte[] payload) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(clients, 16));
    List<Future<Target.Session>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        int index = i;
        futures.add(pool.submit(() -> target.session(index, workload, ops, payload)));
      }
      List<Target.Session> sessions = new ArrayList<>();
      Exception failure = null;
      for (Future<Target.Session> future : futures) {
        try {
          sessions.add(future.get());
        } catch (java.util.concurrent.ExecutionException e) {
          failure = failure == null ? new IllegalStateException("opening a client failed: " + e.getCause(), e.getCause())
              : failure;
        }
      }
      if (failure != null) {
        sessions.forEach(Target.Session::close);
        throw failure;
      }
      return sessions;
    } finally {
      pool.shutdownNow();
    }
  }
}
