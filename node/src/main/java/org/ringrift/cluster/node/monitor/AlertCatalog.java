package org.ringrift.cluster.node.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every alert the cluster defines, once: the names the nodes evaluate themselves (in /status and
 * {@code ringrift_alert_firing}) and the Prometheus rule for each, built from the same
 * thresholds ({@link AlertRules}). docs/prometheus-rules.yml is this catalog rendered
 * ({@link PrometheusRulesFile}); a test fails when the file and the catalog differ.
 */
public final class AlertCatalog {
  public static final String DAEMON_RESTARTS = "daemon_restarts_high";
  public static final String DAEMON_FAILED = "daemon_failed";
  public static final String QUEUE_EMPTY = "queue_empty";
  public static final String NO_COMPLETIONS = "no_completed_work";
  public static final String LEADER_FLAPPING = "leader_changes_high";
  public static final String DISK_FULL = "disk_full";
  public static final String APPLY_HALTED = "apply_halted";

  /** One alert: its node-side name and its Prometheus rule; {@code why} becomes the rule's comment. */
  public record Alert(String name, List<String> why, String expr, Optional<Duration> forDuration, String severity,
      String summary, String runbook) {
    /** daemon_failed -> RingRiftDaemonFailed. */
    public String ruleName() {
      StringBuilder rule = new StringBuilder("RingRift");
      for (String word : name.split("_")) {
        rule.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
      return rule.toString();
    }
  }

  private AlertCatalog() {}

  public static List<Alert> alerts(AlertRules rules) {
    return List.of(
        new Alert(DAEMON_RESTARTS, List.of(
            rules.maxDaemonRestartsPerHour() + " or more crash restarts of one daemon within an hour: a restart storm."
                + " A daemon gets at",
            "most " + rules.maxDaemonRestartsPerHour() + " restarts an hour before it is FAILED (and retried every"
                + " --daemon-failed-retry-ms),",
            "so \"more than " + rules.maxDaemonRestartsPerHour() + "\" would need a retry that recovers; reaching the"
                + " cap is the storm.",
            "ringrift_daemon_restarts_total counts since the node process started (a counter)."),
            "increase(ringrift_daemon_restarts_total[1h]) >= " + rules.maxDaemonRestartsPerHour(), Optional.empty(),
            "warning", "daemon {{ $labels.daemon }} on {{ $labels.instance }} restarted "
                + rules.maxDaemonRestartsPerHour() + " or more times in an hour (its cap)",
            "rrctl daemons ls --all; rrctl daemons restart NAME once the cause is fixed"),
        new Alert(DAEMON_FAILED, List.of(
            "A daemon past its restart cap. The node retries it every --daemon-failed-retry-ms",
            "(default 5 minutes) and this clears by itself once a retry runs; meanwhile the node",
            "answers /health/ready with 503. One series per daemon, so one alert per failed daemon."),
            "ringrift_daemon_failed == 1", Optional.empty(), "critical",
            "daemon {{ $labels.daemon }} is FAILED on {{ $labels.instance }}",
            "docs/RUNBOOK.md section 2: rrctl daemons ls --all (LAST_ERROR); fix the cause; it recovers at the next"
                + " retry, or rrctl --endpoint NODE daemons restart NAME"),
        new Alert(QUEUE_EMPTY, List.of(
            "No pending work for " + minutes(rules.maxQueueEmpty()) + " minutes: the populator is stopped or starved."),
            "max(ringrift_queue_items{state=\"pending\"}) == 0", Optional.of(rules.maxQueueEmpty()), "warning",
            "the work queue has been empty for " + minutes(rules.maxQueueEmpty()) + " minutes",
            "rrctl daemons ls --all (queue_populator); rrctl config get populator.target_depth"),
        new Alert(NO_COMPLETIONS, List.of(
            "No item completed for " + minutes(rules.maxWithoutCompletion())
                + " minutes: workers are down, blacklisted or failing everything.",
            "ringrift_queue_completed_total counts completions since the cluster began; the",
            "completed-items gauge cannot be used, as retention lowers it while work completes."),
            "max(increase(ringrift_queue_completed_total[" + minutes(rules.maxWithoutCompletion()) + "m])) == 0",
            Optional.empty(), "critical",
            "no work item completed in " + minutes(rules.maxWithoutCompletion()) + " minutes",
            "rrctl nodes ls; rrctl queue dead; rrctl events recent --type WORK_FAILED"),
        new Alert(LEADER_FLAPPING, List.of(
            "More than " + rules.maxLeaderChangesPerHour()
                + " leader changes in an hour: flapping (network, GC pauses, overloaded disks)."),
            "max(increase(ringrift_raft_term[1h])) > " + rules.maxLeaderChangesPerHour(), Optional.empty(), "warning",
            "more than " + rules.maxLeaderChangesPerHour() + " Raft leader changes in an hour",
            "rrctl leaders history; check fsync latency and node load"),
        new Alert(DISK_FULL, List.of(
            "The data dir's file system is under --data-disk-reserve-mb: the node refuses writes."),
            "ringrift_data_disk_full == 1", Optional.empty(), "critical",
            "the data disk of {{ $labels.instance }} is under its reserve; it refuses writes",
            "docs/OPERATIONS.md, Full disk: free space on the data dir's file system"),
        new Alert(APPLY_HALTED, List.of(
            "The node's binary cannot apply the log (feature level or snapshot above what it supports)."),
            "ringrift_alert_firing{alert=\"" + APPLY_HALTED + "\"} == 1", Optional.empty(), "critical",
            "{{ $labels.instance }} stopped applying the log: its binary is too old for the cluster's feature level",
            "docs/OPERATIONS.md, Upgrades: restart the node on a build that supports the level"));
  }

  private static long minutes(Duration duration) {
    return duration.toMinutes();
  }
}
