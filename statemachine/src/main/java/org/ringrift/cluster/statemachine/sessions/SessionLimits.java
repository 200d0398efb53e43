package org.ringrift.cluster.statemachine.sessions;

/**
 * Limits of client sessions. Apply enforces them, so every replica must use the same values: like
 * {@code QueueLimits}, they are part of the state machine's schema, not of one node's config.
 *
 * <p>Together they bound what sessions hold: at most {@code maxSessions} records, each with at
 * most {@code maxResultsPerSession} stored results, all results together at most
 * {@code maxSessionResultBytes} serialized bytes, one result at most
 * {@code maxResultBytesPerWrite} (a larger one is not kept; see SessionRef in commands.proto).
 */
public record SessionLimits(
    int maxSessions,
    int maxResultsPerSession,
    long maxSessionResultBytes,
    int maxResultBytesPerWrite,
    long idleTimeoutMs,
    int maxClientNameLength) {
  private static final long MIB = 1024L * 1024;
  /** The smallest per-write limit: the "result too large" marker itself must fit well under it. */
  static final int MIN_RESULT_BYTES_PER_WRITE = 1024;

  /** Refuses values that would make a limit meaningless, naming the field and its range. */
  public SessionLimits {
    within("maxSessions", maxSessions, 1, 1_000_000);
    within("maxResultsPerSession", maxResultsPerSession, 1, 100_000);
    within("maxResultBytesPerWrite", maxResultBytesPerWrite, MIN_RESULT_BYTES_PER_WRITE, 64 * MIB);
    // A session is refused new writes once it could no longer fit one more full-size result, so
    // that evicting the other sessions is always enough to bring the total under the limit.
    within("maxSessionResultBytes", maxSessionResultBytes, maxResultBytesPerWrite, 16 * 1024 * MIB);
    within("idleTimeoutMs", idleTimeoutMs, 1_000, 30L * 24 * 3_600_000);
    within("maxClientNameLength", maxClientNameLength, 1, 1024);
  }

  public static SessionLimits defaults() {
    return new SessionLimits(10_000, 1_000, 64 * MIB, (int) MIB, 600_000, 128);
  }

  private static void within(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("SessionLimits." + field + " = " + value + " is out of range " + min
          + "-" + max + (field.equals("maxSessionResultBytes") ? " (at least maxResultBytesPerWrite)" : ""));
    }
  }
}
