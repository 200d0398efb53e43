package org.ringrift.cluster.daemons;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one daemon on its own thread and is its watchdog: a crash restarts it with a fresh
 * instance after an exponential backoff, until the restart cap per hour makes it FAILED; a FAILED
 * daemon is tried again, with a fresh instance, once every {@code failedRetryInterval}.
 * A generation number makes every scheduled tick of an older start a no-op.
 *
 * <p>Why FAILED is not final: the cap stops a restart storm, but what trips it is often outside
 * the daemon and passes by itself (a cluster outage, a Raft client being replaced, a disk being
 * cleaned up). Holding the daemon until an operator runs {@code rrctl daemons restart} would leave
 * the node crippled (not ready, no heartbeat, no work) long after the cause is gone. One attempt
 * per interval is a bounded load and one log line; the state stays FAILED until an attempt's first
 * tick succeeds, so /health/ready and the daemon_failed alert keep telling operators meanwhile.
 */
final class DaemonRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonRunner.class);
  private static final Duration WINDOW = Duration.ofHours(1);

  private final DaemonSpec spec;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Deque<Instant> restartTimes = new ArrayDeque<>();

  private DaemonState state = DaemonState.STOPPED;
  private boolean waitingForCluster;
  private long generation;
  private Daemon instance;
  private DaemonContext context;
  private ScheduledFuture<?> next;
  private int restarts;
  private int consecutiveCrashes;
  private String lastError = "";
  /** Retries that crashed again since this daemon became FAILED, and when it did. */
  private int failedRetries;
  private Instant failedSince;

  private final Runnable onFirstRun;

  /** {@code onFirstRun} is called, without this runner's lock, when a start's first tick succeeds. */
  DaemonRunner(DaemonSpec spec, Clock clock, Runnable onFirstRun) {
    this.spec = spec;
    this.clock = clock;
    this.onFirstRun = onFirstRun;
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "daemon-" + spec.name());
      thread.setDaemon(true);
      return thread;
    });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  DaemonSpec spec() {
    return spec;
  }

  synchronized DaemonState state() {
    return state;
  }

  synchronized DaemonStatus status(boolean desiredEnabled) {
    Instant hourAgo = clock.instant().minus(WINDOW);
    int lastHour = (int) restartTimes.stream().filter(t -> t.isAfter(hourAgo)).count();
    return new DaemonStatus(spec.name(), spec.scope(), state, restarts, lastHour, lastError,
        context == null ? 0 : context.leaderTerm(), desiredEnabled);
  }

  /**
   * Starts (or keeps running) in {@code newContext}. A FAILED daemon is not started: it waits for
   * its next retry (which runs in {@code newContext}) or for {@link #reset}.
   */
  synchronized void start(DaemonContext newContext) {
    if (state == DaemonState.FAILED) {
      if (!newContext.equals(context)) {
        // A new term: nothing of the old one may run; the retry comes a full interval later.
        halt();
        context = newContext;
        schedule(spec.restart().failedRetryInterval());
      }
      return;
    }
    boolean active = state == DaemonState.RUNNING || state == DaemonState.STARTING || state == DaemonState.BACKING_OFF;
    if (active && newContext.equals(context)) {
      return;
    }
    halt();
    context = newContext;
    state = DaemonState.STARTING;
    schedule(Duration.ZERO);
    LOG.info("daemon starting name={} term={}", spec.name(), newContext.leaderTerm());
  }

  /**
   * Stops now; an in-flight tick finishes, but nothing of this start runs again. A FAILED daemon
   * stops too (a leader daemon on a node that lost leadership is STANDBY, not FAILED: it should not
   * run here, and a node must not stay unready for a daemon it does not need); its crash history is
   * kept, so crashing again within the hour makes it FAILED at once.
   */
  synchronized void stop(DaemonState target) {
    if (state == target) {
      return;
    }
    boolean wasActive = state != DaemonState.STOPPED && state != DaemonState.STANDBY;
    DaemonState before = state;
    halt();
    state = target;
    failedSince = null;
    failedRetries = 0;
    if (wasActive) {
      LOG.info("daemon stopped name={} state={} was={}", spec.name(), state, before);
    }
  }

  /** Clears the crash history, so an operator can bring a FAILED daemon back. */
  synchronized void reset() {
    halt();
    restartTimes.clear();
    consecutiveCrashes = 0;
    failedRetries = 0;
    failedSince = null;
    state = DaemonState.STOPPED;
  }

  private void halt() {
    generation++;
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    stopInstance();
  }

  private void schedule(Duration delay) {
    long scheduledGeneration = generation;
    next = executor.schedule(() -> runTick(scheduledGeneration), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runTick(long tickGeneration) {
    Daemon daemon;
    DaemonContext tickContext;
    synchronized (this) {
      if (tickGeneration != generation) {
        return;
      }
      if (instance == null) {
        instance = spec.factory().get();
      }
      daemon = instance;
      tickContext = context;
    }
    try {
      daemon.tick(tickContext);
      boolean firstRun = false;
      synchronized (this) {
        if (tickGeneration == generation) {
          firstRun = state != DaemonState.RUNNING;
          if (state == DaemonState.FAILED) {
            recovered();
          }
          state = DaemonState.RUNNING;
          if (waitingForCluster) {
            waitingForCluster = false;
            LOG.info("daemon reached the cluster again name={}", spec.name());
          }
          consecutiveCrashes = 0;
          schedule(daemon.interval());
        }
      }
      if (firstRun) {
        onFirstRun.run();
      }
    } catch (ClusterUnavailableException unavailable) {
      synchronized (this) {
        if (tickGeneration == generation) {
          waitForCluster(daemon, unavailable);
        }
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable crash) {
      synchronized (this) {
        if (tickGeneration == generation) {
          onCrash(crash);
        }
      }
    }
  }

  /** Skips this tick: the daemon is fine, the cluster is not answering. Logged once per outage. */
  private void waitForCluster(Daemon daemon, ClusterUnavailableException unavailable) {
    if (!waitingForCluster) {
      waitingForCluster = true;
      LOG.info("daemon waiting for the cluster name={} reason={}", spec.name(), unavailable.getMessage());
    }
    lastError = unavailable.getMessage();
    schedule(daemon.interval());
  }

  /** A FAILED daemon's retry ticked: it runs again, with a clean crash history (a full cap of fast restarts). */
  private void recovered() {
    long failedForMs = failedSince == null ? 0 : Duration.between(failedSince, clock.instant()).toMillis();
    LOG.info("daemon recovered name={} failed_for_ms={} failed_retries={} last_error={}", spec.name(), failedForMs,
        failedRetries, lastError);
    restartTimes.clear();
    consecutiveCrashes = 0;
    failedRetries = 0;
    failedSince = null;
  }

  private void onCrash(Throwable crash) {
    lastError = crash.toString();
    stopInstance();
    Duration retry = spec.restart().failedRetryInterval();
    if (state == DaemonState.FAILED) {
      failedRetries++;
      LOG.warn("daemon retry failed name={} failed_retries={} next_retry_in_ms={} error={}", spec.name(),
          failedRetries, retry.toMillis(), lastError);
      schedule(retry);
      return;
    }
    Instant now = clock.instant();
    while (!restartTimes.isEmpty() && restartTimes.peekFirst().isBefore(now.minus(WINDOW))) {
      restartTimes.removeFirst();
    }
    if (restartTimes.size() >= spec.restart().maxRestartsPerHour()) {
      state = DaemonState.FAILED;
      failedSince = now;
      failedRetries = 0;
      generation++;
      LOG.error("daemon failed name={} restarts_last_hour={} cap={} retry_every_ms={} error={}: retried "
          + "automatically; once the cause is fixed, rrctl daemons restart {} brings it back at once", spec.name(),
          restartTimes.size(), spec.restart().maxRestartsPerHour(), retry.toMillis(), lastError, spec.name());
      schedule(retry);
      return;
    }
    restartTimes.addLast(now);
    restarts++;
    consecutiveCrashes++;
    Duration backoff = backoff(consecutiveCrashes);
    state = DaemonState.BACKING_OFF;
    LOG.warn("daemon crashed name={} restart_in_ms={} restarts={} error={}", spec.name(), backoff.toMillis(),
        restarts, lastError);
    schedule(backoff);
  }

  private Duration backoff(int crashes) {
    Duration delay = spec.restart().initialBackoff().multipliedBy(1L << Math.min(20, crashes - 1));
    return delay.compareTo(spec.restart().maxBackoff()) > 0 ? spec.restart().maxBackoff() : delay;
  }

  private void stopInstance() {
    if (instance != null) {
      try {
        instance.stop();
      } catch (RuntimeException e) {
        LOG.warn("daemon stop failed name={} error={}", spec.name(), e.toString());
      }
      instance = null;
    }
  }

  void close() {
    synchronized (this) {
      halt();
      state = DaemonState.STOPPED;
    }
    executor.shutdownNow();
  }
}
