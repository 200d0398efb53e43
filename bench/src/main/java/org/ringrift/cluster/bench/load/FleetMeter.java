package org.ringrift.cluster.bench.load;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.ringrift.cluster.client.ClusterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link WorkerFleet} measures: call counts, errors, and latencies of claims, completes,
 * heartbeats and the pool's schedule lag, in windows. The first few errors are logged, the rest
 * only counted.
 */
final class FleetMeter {
  private static final Logger LOG = LoggerFactory.getLogger(FleetMeter.class);
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final int LOGGED_ERRORS = 3;

  /** One kind of call the fleet makes: its latencies, answers and failures. */
  enum Call { CLAIM, COMPLETE, HEARTBEAT }

  private final Recorder claimMicros = new Recorder(MAX_MICROS, 3);
  private final Recorder completeMicros = new Recorder(MAX_MICROS, 3);
  private final Recorder heartbeatMicros = new Recorder(MAX_MICROS, 3);
  private final Recorder lagMicros = new Recorder(MAX_MICROS, 3);
  private final LongAdder claims = new LongAdder();
  private final LongAdder emptyClaims = new LongAdder();
  private final LongAdder completes = new LongAdder();
  private final LongAdder heartbeats = new LongAdder();
  private final LongAdder claimErrors = new LongAdder();
  private final LongAdder completeErrors = new LongAdder();
  private final LongAdder heartbeatErrors = new LongAdder();
  private final LongAdder outcomeUnknown = new LongAdder();
  private final AtomicLong logged = new AtomicLong();

  /** Starts the measured window: everything recorded so far was warm-up. */
  void beginWindow() {
    for (Recorder recorder : List.of(claimMicros, completeMicros, heartbeatMicros, lagMicros)) {
      recorder.reset();
    }
    for (LongAdder counter : List.of(claims, emptyClaims, completes, heartbeats, claimErrors, completeErrors,
        heartbeatErrors, outcomeUnknown)) {
      counter.reset();
    }
  }

  WorkerFleet.Totals totals() {
    return new WorkerFleet.Totals(claims.sum(), emptyClaims.sum(), completes.sum(), heartbeats.sum(),
        claimErrors.sum() + completeErrors.sum() + heartbeatErrors.sum());
  }

  WorkerFleet.Window endWindow() {
    return new WorkerFleet.Window(claims.sum(), emptyClaims.sum(), completes.sum(), heartbeats.sum(),
        claimErrors.sum(), completeErrors.sum(), heartbeatErrors.sum(), outcomeUnknown.sum(),
        Percentiles.of(claimMicros.getIntervalHistogram()), Percentiles.of(completeMicros.getIntervalHistogram()),
        Percentiles.of(heartbeatMicros.getIntervalHistogram()), Percentiles.of(lagMicros.getIntervalHistogram()));
  }

  /** A call that answered, timed from {@code sinceNanos} (System.nanoTime()); an empty claim got no item. */
  void answered(Call call, long sinceNanos, boolean emptyClaim) {
    switch (call) {
      case CLAIM -> {
        record(claimMicros, sinceNanos);
        (emptyClaim ? emptyClaims : claims).increment();
      }
      case COMPLETE -> {
        record(completeMicros, sinceNanos);
        completes.increment();
      }
      case HEARTBEAT -> {
        record(heartbeatMicros, sinceNanos);
        heartbeats.increment();
      }
    }
  }

  /** A task started; it was due at {@code dueNanos}. */
  void ran(long dueNanos) {
    record(lagMicros, dueNanos);
  }

  void failed(Call call, String workerId, RuntimeException e) {
    (switch (call) {
      case CLAIM -> claimErrors;
      case COMPLETE -> completeErrors;
      case HEARTBEAT -> heartbeatErrors;
    }).increment();
    if (e instanceof ClusterException && e.getMessage() != null && e.getMessage().startsWith("outcome unknown")) {
      outcomeUnknown.increment();
    }
    if (logged.incrementAndGet() <= LOGGED_ERRORS) {
      LOG.warn("{} failed worker={} error={}", call.name().toLowerCase(java.util.Locale.ROOT), workerId, e.toString());
    }
  }

  private static void record(Recorder recorder, long sinceNanos) {
    recorder.recordValue(Math.max(0, Math.min(MAX_MICROS, (System.nanoTime() - sinceNanos) / 1000)));
  }
}
