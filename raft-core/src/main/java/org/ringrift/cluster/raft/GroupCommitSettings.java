package org.ringrift.cluster.raft;

import java.time.Duration;

/**
 * The limits of group commit on a proposing node ({@link GroupCommit}).
 *
 * @param maxBatchCommands commands in one Raft entry, at most (at most the state machine's
 *     {@code QueueLimits.maxBatchCommands}, or apply refuses the batch)
 * @param maxBatchBytes encoded bytes of the commands in one entry, at most (one larger command goes alone)
 * @param maxQueuedCommands commands waiting for a batch, at most; more are refused (backpressure)
 * @param maxInFlightBatches batches proposed and not yet answered, at most
 * @param linger how long a batch that is not full may wait for more commands (zero: none)
 */
public record GroupCommitSettings(int maxBatchCommands, long maxBatchBytes, int maxQueuedCommands,
    int maxInFlightBatches, Duration linger) {
  /** The largest linger accepted: a write never waits longer than this for company. */
  public static final Duration MAX_LINGER = Duration.ofMillis(100);

  public GroupCommitSettings {
    check("maxBatchCommands", maxBatchCommands, 1, 1_000);
    check("maxBatchBytes", maxBatchBytes, 1_024, 4L * 1024 * 1024);
    check("maxQueuedCommands", maxQueuedCommands, 1, 1_000_000);
    check("maxInFlightBatches", maxInFlightBatches, 1, 64);
    if (linger.isNegative() || linger.compareTo(MAX_LINGER) > 0) {
      throw new IllegalArgumentException("group commit linger " + linger.toMillis() + " ms is out of range 0-"
          + MAX_LINGER.toMillis() + " ms");
    }
  }

  public static GroupCommitSettings defaults() {
    return new GroupCommitSettings(256, 1024L * 1024, 4096, 2, Duration.ZERO);
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("group commit " + name + " " + value + " is out of range " + min + "-" + max);
    }
  }
}
