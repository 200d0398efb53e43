package org.ringrift.cluster.node.guard;

import java.time.Duration;

/**
 * The limits this node enforces at its own edges (admin/peer gRPC and HTTP), before anything
 * reaches the state machine, and the free space it keeps on its data dir before it refuses writes. Per node, not replicated: each is an rrnode flag. The limits of the
 * commands themselves are schema limits of the state machine (QueueLimits and the handlers'
 * constants), listed with these in docs/OPERATIONS.md.
 */
public record EdgeLimits(
    int maxMessageBytes,
    int maxMetadataBytes,
    double callsPerSecond,
    int callBurst,
    int maxTrackedCallers,
    int maxConcurrentCallsPerConnection,
    int maxWatchStreams,
    Duration connectionIdle,
    int maxHttpRequestBytes,
    Duration httpReadTimeout,
    long dataDiskReserveBytes) {

  public EdgeLimits {
    positive("--admin-max-message-bytes", maxMessageBytes);
    positive("--admin-max-metadata-bytes", maxMetadataBytes);
    if (!(callsPerSecond > 0)) {
      throw new IllegalArgumentException("--admin-rate-limit " + callsPerSecond + " must be > 0 calls/s");
    }
    positive("--admin-rate-burst", callBurst);
    positive("--admin-max-callers", maxTrackedCallers);
    positive("--admin-max-calls-per-connection", maxConcurrentCallsPerConnection);
    positive("--admin-max-watch-streams", maxWatchStreams);
    positive("--http-max-request-bytes", maxHttpRequestBytes);
    if (dataDiskReserveBytes < 0) {
      throw new IllegalArgumentException("--data-disk-reserve-mb must be >= 0");
    }
    if (connectionIdle.isNegative() || connectionIdle.isZero() || httpReadTimeout.isNegative()
        || httpReadTimeout.isZero()) {
      throw new IllegalArgumentException("--admin-connection-idle-ms and --http-read-timeout-ms must be > 0");
    }
  }

  /**
   * Defaults sized for one host running several nodes, workers and rrctl from the same address:
   * the rate limit stops a flood, not a busy cluster (the benchmarks stay far below it).
   */
  public static EdgeLimits defaults() {
    return new EdgeLimits(4 * 1024 * 1024, 8 * 1024, 2000, 4000, 10_000, 200, 64, Duration.ofMinutes(10),
        8 * 1024, Duration.ofSeconds(10), 256L << 20);
  }

  /** The same limits with another call rate and burst. */
  public EdgeLimits withRate(double perSecond, int burst) {
    return new EdgeLimits(maxMessageBytes, maxMetadataBytes, perSecond, burst, maxTrackedCallers,
        maxConcurrentCallsPerConnection, maxWatchStreams, connectionIdle, maxHttpRequestBytes, httpReadTimeout,
        dataDiskReserveBytes);
  }

  /** The same limits with another free-space reserve on the data dir. */
  public EdgeLimits withDataDiskReserve(long bytes) {
    return new EdgeLimits(maxMessageBytes, maxMetadataBytes, callsPerSecond, callBurst, maxTrackedCallers,
        maxConcurrentCallsPerConnection, maxWatchStreams, connectionIdle, maxHttpRequestBytes, httpReadTimeout, bytes);
  }

  private static void positive(String flag, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " " + value + " must be >= 1");
    }
  }
}
