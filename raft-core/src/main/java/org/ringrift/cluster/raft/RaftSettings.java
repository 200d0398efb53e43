package org.ringrift.cluster.raft;

import java.time.Duration;

/**
 * The Raft tunables this project depends on. {@link RatisProperties} maps every one of them onto
 * a Ratis key; nothing is left to a Ratis default by accident.
 *
 * <p>This node's own Raft requests ({@link LeaderCalls}): each is tried for {@code requestTimeout},
 * one attempt waits at most {@code callAttemptTimeout} before the same request is resent, attempts
 * are spaced by at most {@code clientRetryInterval}, at most {@code pendingWriteLimit} are in flight
 * and at most {@code remoteCallThreads} wait on a remote leader at once. {@code clientRetryAttempts}
 * bounds the blocking admin calls (configuration, leader transfer, snapshot). Writes wait for a
 * batch under {@code groupCommit}'s limits.
 */
public record RaftSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    long snapshotThresholdEntries,
    int snapshotRetentionCount,
    long appenderBufferBytes,
    long segmentSizeBytes,
    int purgeGapEntries,
    int pendingWriteLimit,
    int clientRetryAttempts,
    Duration clientRetryInterval,
    Duration callAttemptTimeout,
    int remoteCallThreads,
    GroupCommitSettings groupCommit) {

  public RaftSettings {
    if (electionTimeoutMin.compareTo(electionTimeoutMax) >= 0) {
      throw new IllegalArgumentException("electionTimeoutMin " + electionTimeoutMin
          + " must be below electionTimeoutMax " + electionTimeoutMax);
    }
    if (snapshotThresholdEntries < 1) {
      throw new IllegalArgumentException("snapshotThresholdEntries must be at least 1");
    }
    if (purgeGapEntries < 1) {
      throw new IllegalArgumentException("purgeGapEntries must be at least 1");
    }
    if (callAttemptTimeout.isZero() || callAttemptTimeout.isNegative()
        || callAttemptTimeout.compareTo(requestTimeout) > 0) {
      throw new IllegalArgumentException("callAttemptTimeout " + callAttemptTimeout + " must be positive and at most "
          + "requestTimeout " + requestTimeout);
    }
    if (remoteCallThreads < 1 || remoteCallThreads > 256) {
      throw new IllegalArgumentException("remoteCallThreads " + remoteCallThreads + " is out of range 1-256");
    }
    if (snapshotRetentionCount < 1) {
      throw new IllegalArgumentException("snapshotRetentionCount must be at least 1");
    }
  }

  public static RaftSettings defaults() {
    return new RaftSettings(
        Duration.ofMillis(300),
        Duration.ofMillis(600),
        Duration.ofSeconds(5),
        10_000,
        2,
        4L * 1024 * 1024,
        8L * 1024 * 1024,
        1024,
        4096,
        50,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        16,
        GroupCommitSettings.defaults());
  }

  /** gRPC messages carry whole appender batches, so they must be larger than the buffer. */
  public long grpcMessageMaxBytes() {
    return appenderBufferBytes + 1024L * 1024;
  }

  /**
   * Snapshot files travel to a follower in chunks, each in one gRPC message: a chunk of the
   * appender buffer's size leaves 1 MB of the message for the request around it.
   */
  public long snapshotChunkMaxBytes() {
    return appenderBufferBytes;
  }

  /** Snapshot every {@code entries}, with log segments and purge gap small enough to purge behind it. */
  public RaftSettings withSnapshotThresholdEntries(long entries) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, requestTimeout, entries,
        snapshotRetentionCount, appenderBufferBytes, segmentSizeBytes, (int) Math.min(purgeGapEntries, entries),
        pendingWriteLimit, clientRetryAttempts, clientRetryInterval, callAttemptTimeout, remoteCallThreads, groupCommit);
  }

  public RaftSettings withSegmentSizeBytes(long bytes) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, requestTimeout, snapshotThresholdEntries,
        snapshotRetentionCount, appenderBufferBytes, bytes, purgeGapEntries, pendingWriteLimit, clientRetryAttempts,
        clientRetryInterval, callAttemptTimeout, remoteCallThreads, groupCommit);
  }
}
