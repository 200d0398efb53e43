package org.ringrift.cluster.statemachine.queue;

/**
 * Limits and defaults of the work queue. Apply enforces them, so every replica must use the same
 * values: they are part of the state machine's schema, not of one node's config.
 *
 * <p>{@code maxBatchSize} bounds the items of one enqueue_batch request; {@code maxBatchCommands}
 * bounds the commands of one CommandBatch log entry (group commit), a different thing.
 */
public record QueueLimits(
    int maxPayloadBytes,
    int maxClaimItems,
    int defaultMaxAttempts,
    int maxMaxAttempts,
    long defaultTimeoutMs,
    long maxTimeoutMs,
    long defaultLeaseMs,
    long minLeaseMs,
    long maxLeaseMs,
    long idempotencyWindowMs,
    int maxIdLength,
    int maxResultBytes,
    int maxListSize,
    int maxBatchSize,
    int maxErrorLength,
    int claimScanLimit,
    int maxBatchCommands) {

  public static QueueLimits defaults() {
    return new QueueLimits(
        64 * 1024,
        10,
        3,
        100,
        3_600_000L,
        7 * 24 * 3_600_000L,
        300_000L,
        1_000L,
        24 * 3_600_000L,
        24 * 3_600_000L,
        128,
        64 * 1024,
        32,
        100,
        4096,
        1000,
        1000);
  }

  /** The same limits with another cap on the commands of one batch entry. */
  public QueueLimits withMaxBatchCommands(int max) {
    return new QueueLimits(maxPayloadBytes, maxClaimItems, defaultMaxAttempts, maxMaxAttempts, defaultTimeoutMs,
        maxTimeoutMs, defaultLeaseMs, minLeaseMs, maxLeaseMs, idempotencyWindowMs, maxIdLength, maxResultBytes,
        maxListSize, maxBatchSize, maxErrorLength, claimScanLimit, max);
  }
}
