package org.ringrift.cluster.cli;

import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.proto.NodeFacts;
import org.ringrift.cluster.proto.NodeStatus;

/**
 * Doctor checks over the facts each node reports about itself (storage, settings in force, clock).
 * Thresholds are constants here so the runbook can quote them.
 */
final class NodeFactChecks {
  /** Snapshots are triggered by entry count; this many thresholds' worth without one means they are not happening. */
  static final long SNAPSHOT_BEHIND_FACTOR = 2;
  /** fsync max above this fraction of the minimum election timeout: a slow write can cost a heartbeat. */
  static final long FSYNC_WARN_DIVISOR = 4;
  /** fsync median above this fraction: the leader misses heartbeats routinely. */
  static final long FSYNC_WARN_MEDIAN_DIVISOR = 2;
  static final long CLOCK_WARN_MS = 1_000;
  /** Leases are timed with the proposer's clock; past this a lease's length is distorted by a default lease's worth. */
  static final long CLOCK_FAIL_MS = 60_000;

  record Check(String name, String status, String detail) {}

  /** A node's clock reading and when this process sent the request and got the answer. */
  record ClockReading(String nodeId, long sentMs, long nodeClockMs, long receivedMs) {}

  private final List<NodeStatus> statuses;
  private final long nowMs;

  NodeFactChecks(List<NodeStatus> statuses, long nowMs) {
    this.statuses = statuses.stream().filter(s -> s.hasFacts() && s.getFacts().getFsyncSamples() > 0).toList();
    this.nowMs = nowMs;
  }

  Check snapshotAge() {
    if (statuses.isEmpty()) {
      return none("snapshot age");
    }
    List<String> behind = new ArrayList<>();
    List<String> ages = new ArrayList<>();
    for (NodeStatus s : statuses) {
      NodeFacts f = s.getFacts();
      long since = s.getAppliedIndex() - Math.max(0, s.getSnapshotIndex());
      ages.add(s.getNodeId() + " " + (f.getSnapshotTimeMs() == 0 ? "none"
          : (nowMs - f.getSnapshotTimeMs()) / 1000 + "s old") + ", " + since + " entries since");
      if (since > SNAPSHOT_BEHIND_FACTOR * f.getSnapshotThresholdEntries()) {
        behind.add(s.getNodeId());
      }
    }
    return new Check("snapshot age", behind.isEmpty() ? "PASS" : "WARN",
        (behind.isEmpty() ? "" : "snapshots lagging (over " + SNAPSHOT_BEHIND_FACTOR + "x the threshold) on "
            + behind + "; ") + String.join("; ", ages));
  }

  Check fsyncLatency() {
    if (statuses.isEmpty()) {
      return none("fsync latency");
    }
    String status = "PASS";
    List<String> parts = new ArrayList<>();
    for (NodeStatus s : statuses) {
      NodeFacts f = s.getFacts();
      long electionUs = f.getElectionTimeoutMinMs() * 1000;
      // The probe runs once at start, when a busy box can slow one sample: only a median at or
      // over the whole election timeout (every write can cost an election) is a FAIL.
      if (f.getFsyncP50Us() >= electionUs) {
        status = "FAIL";
      } else if ((f.getFsyncMaxUs() * FSYNC_WARN_DIVISOR > electionUs
          || f.getFsyncP50Us() * FSYNC_WARN_MEDIAN_DIVISOR > electionUs) && !status.equals("FAIL")) {
        status = "WARN";
      }
      parts.add(s.getNodeId() + " p50 " + micros(f.getFsyncP50Us()) + " max " + micros(f.getFsyncMaxUs()));
    }
    return new Check("fsync latency", status, String.join("; ", parts) + " (election timeout min "
        + statuses.get(0).getFacts().getElectionTimeoutMinMs() + " ms; WARN if max > 1/" + FSYNC_WARN_DIVISOR
        + " or p50 > 1/" + FSYNC_WARN_MEDIAN_DIVISOR + " of it, FAIL if p50 >= it)");
  }

  Check linearizableReads() {
    if (statuses.isEmpty()) {
      return none("linearizable reads");
    }
    List<String> other = statuses.stream().filter(s -> !s.getFacts().getReadOption().equals("LINEARIZABLE"))
        .map(s -> s.getNodeId() + "=" + s.getFacts().getReadOption()).toList();
    return new Check("linearizable reads", other.isEmpty() ? "PASS" : "FAIL",
        other.isEmpty() ? "read option LINEARIZABLE on every answering node" : "stale reads possible: " + other);
  }

  /** WARN when any node serves plaintext on a reachable address (--insecure); names every node's transport. */
  Check transport() {
    if (statuses.isEmpty()) {
      return none("transport security");
    }
    List<String> insecure = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (NodeStatus s : statuses) {
      String transport = s.getFacts().getTransport().isEmpty() ? "unknown" : s.getFacts().getTransport();
      all.add(s.getNodeId() + " " + transport);
      if (transport.equals("insecure")) {
        insecure.add(s.getNodeId());
      }
    }
    return insecure.isEmpty() ? new Check("transport security", "PASS", String.join(", ", all))
        : new Check("transport security", "WARN", "plaintext on a non-loopback address (--insecure): " + insecure
            + "; anyone who reaches the ports controls the cluster (docs/SECURITY.md)");
  }

  Check messageSize() {
    if (statuses.isEmpty()) {
      return none("grpc message size");
    }
    List<String> bad = new ArrayList<>();
    for (NodeStatus s : statuses) {
      NodeFacts f = s.getFacts();
      if (f.getGrpcMessageMaxBytes() <= f.getAppenderBufferBytes()) {
        bad.add(s.getNodeId() + " message max " + f.getGrpcMessageMaxBytes() + " <= appender buffer "
            + f.getAppenderBufferBytes());
      }
    }
    NodeFacts first = statuses.get(0).getFacts();
    return new Check("grpc message size", bad.isEmpty() ? "PASS" : "FAIL", bad.isEmpty()
        ? "message max " + first.getGrpcMessageMaxBytes() + " B > appender buffer " + first.getAppenderBufferBytes()
            + " B on every answering node"
        : "a full append batch cannot be sent: " + bad);
  }

  /** Offset of each node's clock from this process's, with half the round trip as the error bound. */
  Check clockOffset(List<ClockReading> readings) {
    List<ClockReading> known = readings.stream().filter(r -> r.nodeClockMs() > 0).toList();
    if (known.isEmpty()) {
      return none("clock offset");
    }
    String status = "PASS";
    List<String> parts = new ArrayList<>();
    for (ClockReading r : known) {
      long bound = (r.receivedMs() - r.sentMs() + 1) / 2;
      long offset = r.nodeClockMs() - (r.sentMs() + r.receivedMs()) / 2;
      long certain = Math.max(0, Math.abs(offset) - bound);
      if (certain > CLOCK_FAIL_MS) {
        status = "FAIL";
      } else if (certain > CLOCK_WARN_MS && !status.equals("FAIL")) {
        status = "WARN";
      }
      parts.add(r.nodeId() + " " + (offset >= 0 ? "+" : "") + offset + " ms (+-" + bound + ")");
    }
    long spread = known.stream().mapToLong(r -> r.nodeClockMs() - (r.sentMs() + r.receivedMs()) / 2).max().orElse(0)
        - known.stream().mapToLong(r -> r.nodeClockMs() - (r.sentMs() + r.receivedMs()) / 2).min().orElse(0);
    return new Check("clock offset", status, "vs this host: " + String.join("; ", parts) + "; spread between nodes "
        + spread + " ms (WARN over " + CLOCK_WARN_MS + " ms, FAIL over " + CLOCK_FAIL_MS + " ms)");
  }

  private static Check none(String name) {
    return new Check(name, "WARN", "no answering node reports its facts (older rrnode?)");
  }

  private static String micros(long us) {
    return us >= 10_000 ? us / 1000 + " ms" : String.format(java.util.Locale.ROOT, "%.2f ms", us / 1000.0);
  }
}
