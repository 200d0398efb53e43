package org.ringrift.cluster.node.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.raft.ClusterSpec;
import org.ringrift.cluster.raft.GroupCommitSettings;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;
import picocli.CommandLine.Option;

/** A member's Raft group: who the voters are, its timeouts, snapshots, log segments and group commit. */
public final class RaftOptions {
  /** Smaller segments are untested (SnapshotInstallTest runs with 16 KiB). */
  public static final long MIN_SEGMENT_BYTES = 16 * 1024;

  @Option(names = "--peers", split = ",",
      description = "Every voter as id=host:raftPort, comma separated (required).")
  List<String> peers = new ArrayList<>();

  @Option(names = "--cluster", defaultValue = "ringrift-dev",
      description = "Cluster name; the Raft group id derives from it (default: ${DEFAULT-VALUE}).")
  String clusterId;

  @Option(names = "--join", description = "Start outside the Raft configuration and wait to be added "
      + "(rrctl members add ID HOST:PORT); --peers must list this node and the current members.")
  boolean join;

  @Option(names = "--election-timeout-min-ms", defaultValue = "300", converter = Units.Millis.class, paramLabel = "MS",
      description = "Raft election timeout, lower bound.")
  Duration electionTimeoutMin;

  @Option(names = "--election-timeout-max-ms", defaultValue = "600", converter = Units.Millis.class, paramLabel = "MS",
      description = "Raft election timeout, upper bound.")
  Duration electionTimeoutMax;

  @Option(names = "--snapshot-threshold", defaultValue = "10000",
      description = "Take a snapshot every this many applied entries.")
  long snapshotThresholdEntries;

  @Option(names = "--log-segment-bytes", defaultValue = "8388608", converter = Units.Bytes.class, paramLabel = "BYTES",
      description = "Size at which a Raft log segment is closed; only closed segments are purged behind a snapshot "
          + "(default: ${DEFAULT-VALUE}, at least " + MIN_SEGMENT_BYTES + ").")
  DataSize logSegment;

  @Option(names = "--ready-max-lag", defaultValue = "1000",
      description = "/health/ready fails when this node's applied index trails the commit index by more.")
  long readyMaxLagEntries;

  @Option(names = "--group-commit-max-commands", defaultValue = "256",
      description = "Writes of this node carried by one Raft entry, at most (default: ${DEFAULT-VALUE}, 1-1000).")
  int groupCommitMaxCommands;

  @Option(names = "--group-commit-max-bytes", defaultValue = "1048576", converter = Units.Bytes.class, paramLabel = "BYTES",
      description = "Encoded bytes of one Raft entry's writes, at most (default: ${DEFAULT-VALUE}).")
  DataSize groupCommitMax;

  @Option(names = "--group-commit-queue", defaultValue = "4096",
      description = "Writes waiting for a Raft entry, at most; more are refused with RESOURCE_EXHAUSTED "
          + "(default: ${DEFAULT-VALUE}).")
  int groupCommitQueue;

  @Option(names = "--group-commit-in-flight", defaultValue = "2",
      description = "Raft entries of this node's writes proposed and not yet answered, at most "
          + "(default: ${DEFAULT-VALUE}).")
  int groupCommitInFlight;

  @Option(names = "--group-commit-linger-ms", defaultValue = "0", converter = Units.Millis.class, paramLabel = "MS",
      description = "How long a batch that is not full waits for more writes (default: ${DEFAULT-VALUE}: never; "
          + "at most 100).")
  Duration groupCommitLinger;

  /** Whether any voter was given (a worker-only node must give none). */
  public boolean hasPeers() {
    return !peers.isEmpty();
  }

  public boolean join() {
    return join;
  }

  public long readyMaxLagEntries() {
    return readyMaxLagEntries;
  }

  public ClusterSpec cluster() {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("--peers is required (flag, RRNODE_PEERS or peers= in the config file)");
    }
    return new ClusterSpec(clusterId, peers.stream().map(Member::parse).toList());
  }

  public RaftSettings settings() {
    if (logSegment.bytes() < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException("--log-segment-bytes " + logSegment.bytes() + " is below the minimum "
          + MIN_SEGMENT_BYTES);
    }
    RaftSettings defaults = RaftSettings.defaults();
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, defaults.requestTimeout(), snapshotThresholdEntries,
        defaults.snapshotRetentionCount(), defaults.appenderBufferBytes(), logSegment.bytes(),
        // Purge as often as snapshots come, or a small threshold would still wait for 1024 entries.
        (int) Math.min(defaults.purgeGapEntries(), snapshotThresholdEntries), defaults.pendingWriteLimit(),
        defaults.clientRetryAttempts(), defaults.clientRetryInterval(), defaults.callAttemptTimeout(),
        defaults.remoteCallThreads(), groupCommit());
  }

  private GroupCommitSettings groupCommit() {
    try {
      return new GroupCommitSettings(groupCommitMaxCommands, groupCommitMax.bytes(), groupCommitQueue,
          groupCommitInFlight, groupCommitLinger);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--group-commit-*: " + e.getMessage(), e);
    }
  }
}
