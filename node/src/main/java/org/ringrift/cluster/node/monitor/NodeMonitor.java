package org.ringrift.cluster.node.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.raft.LatencyStats;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.raft.RaftView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's metrics (Prometheus, via Micrometer) and alerts. A sampler reads this node's own
 * state every few seconds (a local read: it must work while there is no leader); gauges and
 * alerts are computed from the last sample, so a scrape never waits on the cluster.
 */
public final class NodeMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeMonitor.class);
  private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(5);
  /** list_sessions past every session id: the session counters alone, without listing a session. */
  public static final Query SESSION_COUNTERS = Query.newBuilder()
      .setListSessions(ListSessionsRequest.newBuilder().setAfterSessionId(Long.MAX_VALUE)).build();

  private final RaftNode raft;
  private final DaemonManager daemons;
  private final Clock clock;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AlertState alertState;
  private final AtomicReference<QueueStats> queue = new AtomicReference<>(QueueStats.getDefaultInstance());
  private final AtomicReference<ListSessionsResult> sessions = new AtomicReference<>(ListSessionsResult.getDefaultInstance());
  /** Sampler thread only: the session meters appear with the first sample (see sampleSessions). */
  private boolean sessionMetersBound;
  private final AtomicReference<List<Alert>> alerts = new AtomicReference<>(List.of());
  private final AtomicLong leaderChanges = new AtomicLong();
  private final AtomicLong applyMaxNanos = new AtomicLong();
  private final AtomicLong commitMaxNanos = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "node-monitor");
    thread.setDaemon(true);
    return thread;
  });
  private volatile String lastLeader = "";

  /** The registry /metrics scrapes, for parts of the node that add their own meters. */
  public io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  public NodeMonitor(RaftNode raft, DaemonManager daemons, Clock clock, AlertRules rules) {
    this.raft = raft;
    this.daemons = daemons;
    this.clock = clock;
    this.alertState = new AlertState(rules, raft.id(), clock.millis());
    ProcessMeters.bind(registry, daemons);
    registerRaft();
    registerQueue();
    registerDaemonsAndAlerts();
  }

  private void registerRaft() {
    Gauge.builder("ringrift_raft_term", raft, r -> r.view().term())
        .description("the Raft term this node is in").register(registry);
    Gauge.builder("ringrift_raft_is_leader", raft, r -> r.view().isLeader() ? 1 : 0)
        .description("1 if this node is the Raft leader").register(registry);
    Gauge.builder("ringrift_raft_leader_ready", raft, r -> r.gate().readyTerm().isPresent() ? 1 : 0)
        .description("1 if this node leads and has applied its term's first entry (it serves writes)").register(registry);
    Gauge.builder("ringrift_raft_applied_index", raft, r -> r.view().appliedIndex())
        .description("the last log index this node applied").register(registry);
    Gauge.builder("ringrift_raft_commit_index", raft, r -> r.view().commitIndex())
        .description("the last log index this node knows committed").register(registry);
    Gauge.builder("ringrift_raft_snapshot_index", raft, r -> r.view().snapshotIndex())
        .description("the log index of this node's latest snapshot (-1: none)").register(registry);
    Gauge.builder("ringrift_raft_alive_peers", raft, r -> r.view().alivePeers())
        .description("peers this node heard from recently, itself included").register(registry);
    FunctionCounter.builder("ringrift_raft_leader_changes", leaderChanges, AtomicLong::get)
        .description("leader changes this node has seen since it started").register(registry);
    latency("ringrift_raft_apply", "applying one log entry to the state store", raft.applyLatency(), applyMaxNanos);
    latency("ringrift_raft_commit", "a command proposed by this node until its applied answer", raft.client().commitLatency(),
        commitMaxNanos);
    registerBatching();
  }

  /** Group commit: how many writes share an entry, how long they wait for one, how many wait now. */
  private void registerBatching() {
    org.ringrift.cluster.raft.GroupCommit.Stats batching = raft.client().batching();
    Gauge.builder("ringrift_group_commit_queued", batching, org.ringrift.cluster.raft.GroupCommit.Stats::queued)
        .description("writes of this node waiting for a Raft entry").register(registry);
    FunctionTimer.builder("ringrift_group_commit_queue_wait", batching.queueWait(),
            org.ringrift.cluster.raft.LatencyStats::count, org.ringrift.cluster.raft.LatencyStats::totalNanos,
            TimeUnit.NANOSECONDS)
        .description("time a write of this node waited for its Raft entry").register(registry);
    for (int bucket = 0; bucket <= org.ringrift.cluster.raft.GroupCommit.SIZE_BUCKETS; bucket++) {
      int index = bucket;
      // Not "le": promtool refuses an le label on a counter, which this is (not a histogram type).
      String le = bucket == org.ringrift.cluster.raft.GroupCommit.SIZE_BUCKETS ? "+Inf" : Integer.toString(1 << bucket);
      FunctionCounter.builder("ringrift_group_commit_batches", batching, b -> b.sizeHistogram()[index])
          .tags(Tags.of("max_writes", le))
          .description("Raft entries this node proposed holding at most max_writes writes (cumulative buckets)")
          .register(registry);
    }
    FunctionCounter.builder("ringrift_raft_applied_entries", raft.commandsPerEntry(),
            org.ringrift.cluster.raft.EntrySizeStats::entries)
        .description("log entries with commands this node applied").register(registry);
    FunctionCounter.builder("ringrift_raft_applied_commands", raft.commandsPerEntry(),
            org.ringrift.cluster.raft.EntrySizeStats::commands)
        .description("commands this node applied (a batch entry holds many)").register(registry);
  }

  private void latency(String name, String description, LatencyStats stats, AtomicLong windowMaxNanos) {
    FunctionTimer.builder(name, stats, LatencyStats::count, LatencyStats::totalNanos, TimeUnit.NANOSECONDS)
        .description(description).register(registry);
    Gauge.builder(name + "_window_max_seconds", windowMaxNanos, m -> m.get() / 1e9)
        .description("largest " + description + " time in the last sample interval").register(registry);
  }

  private void registerQueue() {
    for (WorkState state : WorkState.values()) {
      if (state == WorkState.UNRECOGNIZED || state == WorkState.WORK_STATE_UNSPECIFIED) {
        continue;
      }
      String name = state.name().substring("WORK_STATE_".length()).toLowerCase(Locale.ROOT);
      Gauge.builder("ringrift_queue_items", queue, q -> count(q.get(), state)).tags(Tags.of("state", name))
          .description("work items per state in this node's applied state (retention lowers the terminal ones)")
          .register(registry);
    }
    // Counts since the cluster began, from the replicated state: counters, never lowered.
    FunctionCounter.builder("ringrift_queue_completed", queue, q -> q.get().getCompletedTotal())
        .description("work items completed since the cluster began").register(registry);
    FunctionCounter.builder("ringrift_queue_stale_token_rejections", queue, q -> q.get().getStaleTokenRejections())
        .description("calls refused for a stale lease token since the cluster began").register(registry);
    FunctionCounter.builder("ringrift_queue_fenced_rejections", queue, q -> q.get().getFencedRejections())
        .description("commands refused as proposed in an older leader term since the cluster began").register(registry);
    FunctionCounter.builder("ringrift_queue_leases_expired", queue, q -> q.get().getLeasesExpired())
        .description("leases the job reaper expired since the cluster began").register(registry);
    Gauge.builder("ringrift_queue_backpressure_active", queue, q -> q.get().getBackpressureActive() ? 1 : 0)
        .description("1 while the queue refuses enqueues over its pending soft limit").register(registry);
  }

  /**
   * The session counters count since the replicated state began, not since this process did, so
   * they are bound only once read: a counter served as 0 before the first sample would look to
   * Prometheus like a reset followed by a jump of the whole count.
   */
  private void sampleSessions() {
    try {
      org.ringrift.cluster.proto.QueryResult read = raft.client().readLocal(SESSION_COUNTERS);
      if (!read.hasListSessions()) {
        LOG.debug("session counters not sampled: {}", read);
        return;
      }
      sessions.set(read.getListSessions());
    } catch (Exception e) {
      LOG.debug("session counters not sampled: {}", e.toString());
      return;
    }
    if (!sessionMetersBound) {
      registerSessions();
      sessionMetersBound = true;
    }
  }

  private void registerSessions() {
    Gauge.builder("ringrift_sessions_open", sessions, s -> s.get().getOpen())
        .description("client sessions open in this node's applied state").register(registry);
    Gauge.builder("ringrift_session_result_bytes", sessions, s -> s.get().getResultBytes())
        .description("bytes of write results all client sessions hold, for answering resends").register(registry);
    FunctionCounter.builder("ringrift_session_dedupe_hits", sessions, s -> s.get().getDedupeHits())
        .description("resent writes answered with their stored result, applying nothing (since the state began)")
        .register(registry);
    FunctionCounter.builder("ringrift_session_evictions", sessions, s -> s.get().getEvicted())
        .description("client sessions removed by a limit, max sessions or max result bytes (since the state began)")
        .register(registry);
    FunctionCounter.builder("ringrift_session_expired", sessions, s -> s.get().getExpired())
        .description("client sessions removed after idling past the idle timeout (since the state began)")
        .register(registry);
    FunctionCounter.builder("ringrift_session_expired_rejections", sessions, s -> s.get().getRejectedExpired())
        .description("writes refused with SESSION_EXPIRED because their session was gone (since the state began)")
        .register(registry);
  }

  private static long count(QueueStats s, WorkState state) {
    return switch (state) {
      case WORK_STATE_PENDING -> s.getPending();
      case WORK_STATE_CLAIMED -> s.getClaimed();
      case WORK_STATE_RUNNING -> s.getRunning();
      case WORK_STATE_COMPLETED -> s.getCompleted();
      case WORK_STATE_FAILED -> s.getFailed();
      case WORK_STATE_TIMEOUT -> s.getTimeout();
      case WORK_STATE_CANCELLED -> s.getCancelled();
      default -> 0;
    };
  }

  private void registerDaemonsAndAlerts() {
    for (String alert : List.of(AlertState.DAEMON_RESTARTS, AlertState.QUEUE_EMPTY, AlertState.NO_COMPLETIONS,
        AlertState.LEADER_FLAPPING, AlertState.DAEMON_FAILED)) {
      Gauge.builder("ringrift_alert_firing", alerts,
          a -> a.get().stream().anyMatch(x -> x.getName().equals(alert) && x.getFiring()) ? 1 : 0)
          .tags(Tags.of("alert", alert)).description("1 while this node's alert is firing (rrctl status shows why)")
          .register(registry);
    }
  }

  public void start() {
    sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      applyMaxNanos.set(raft.applyLatency().takeMaxNanos());
      commitMaxNanos.set(raft.client().commitLatency().takeMaxNanos());
      RaftView view = raft.view();
      if (!view.leaderId().isEmpty() && !view.leaderId().equals(lastLeader)) {
        if (!lastLeader.isEmpty()) {
          leaderChanges.incrementAndGet();
        }
        lastLeader = view.leaderId();
      }
      QueueStats stats = null;
      try {
        stats = raft.client().readLocal(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance())
            .build()).getQueueStats();
        queue.set(stats);
      } catch (Exception e) {
        LOG.debug("queue stats not sampled: {}", e.toString());
      }
      sampleSessions();
      alerts.set(alertState.update(new Sample(clock.millis(), view.leaderId(), stats, daemons.list())));
    } catch (RuntimeException e) {
      LOG.warn("monitor sample failed: {}", e.toString());
    }
  }

  public List<Alert> alerts() {
    return alerts.get();
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    registry.close();
  }
}
