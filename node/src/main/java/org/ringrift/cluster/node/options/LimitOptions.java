package org.ringrift.cluster.node.options;

import java.time.Duration;
import org.ringrift.cluster.node.guard.EdgeLimits;
import picocli.CommandLine.Option;

/** A member's admin gRPC port and the limits at its edges: message sizes, caller rates, HTTP requests, free disk. */
public final class LimitOptions {
  @Option(names = "--admin-port", description = "Admin gRPC port (required).")
  Integer adminPort;

  @Option(names = "--admin-max-message-bytes", defaultValue = "4194304", converter = Units.Bytes.class, paramLabel = "BYTES",
      description = "Largest gRPC message the admin/peer server accepts (default: ${DEFAULT-VALUE}).")
  DataSize adminMaxMessage;

  @Option(names = "--admin-max-metadata-bytes", defaultValue = "8192", converter = Units.Bytes.class, paramLabel = "BYTES",
      description = "Largest gRPC header block the admin/peer server accepts (default: ${DEFAULT-VALUE}).")
  DataSize adminMaxMetadata;

  @Option(names = "--admin-rate-limit", defaultValue = "2000",
      description = "gRPC calls per second one caller (remote address) may make; more get RESOURCE_EXHAUSTED "
          + "(default: ${DEFAULT-VALUE}).")
  double adminRateLimit;

  @Option(names = "--admin-rate-burst", defaultValue = "4000",
      description = "Calls one caller may make at once above the rate (default: ${DEFAULT-VALUE}).")
  int adminRateBurst;

  @Option(names = "--admin-max-callers", defaultValue = "10000",
      description = "Callers the rate limiter tracks at once (default: ${DEFAULT-VALUE}).")
  int adminMaxCallers;

  @Option(names = "--admin-max-calls-per-connection", defaultValue = "200",
      description = "Concurrent gRPC calls on one connection (default: ${DEFAULT-VALUE}).")
  int adminMaxCallsPerConnection;

  @Option(names = "--admin-max-watch-streams", defaultValue = "64",
      description = "Event watch streams this node serves at once (default: ${DEFAULT-VALUE}).")
  int adminMaxWatchStreams;

  @Option(names = "--admin-connection-idle-ms", defaultValue = "600000", converter = Units.Millis.class, paramLabel = "MS",
      description = "Close an admin connection idle this long (default: ${DEFAULT-VALUE}).")
  Duration adminConnectionIdle;

  @Option(names = "--http-max-request-bytes", defaultValue = "8192", converter = Units.Bytes.class, paramLabel = "BYTES",
      description = "Largest HTTP request body accepted (default: ${DEFAULT-VALUE}).")
  DataSize httpMaxRequest;

  @Option(names = "--http-read-timeout-ms", defaultValue = "10000", converter = Units.Millis.class, paramLabel = "MS",
      description = "Drop an HTTP connection that sends nothing for this long (default: ${DEFAULT-VALUE}).")
  Duration httpReadTimeout;

  @Option(names = "--data-disk-reserve-mb", defaultValue = "256", converter = Units.Mebibytes.class, paramLabel = "MB",
      description = "Free space the data dir's file system keeps; below it the node refuses writes, reports not "
          + "ready and fires disk_full (default: ${DEFAULT-VALUE}).")
  DataSize dataDiskReserve;

  /** Whether --admin-port was given (a worker-only node must give none). */
  public boolean hasAdminPort() {
    return adminPort != null;
  }

  public int adminPort() {
    return CommandLines.require(adminPort, "--admin-port");
  }

  public EdgeLimits edgeLimits() {
    return new EdgeLimits(adminMaxMessage.intBytes("--admin-max-message-bytes"),
        adminMaxMetadata.intBytes("--admin-max-metadata-bytes"), adminRateLimit, adminRateBurst, adminMaxCallers,
        adminMaxCallsPerConnection, adminMaxWatchStreams, adminConnectionIdle,
        httpMaxRequest.intBytes("--http-max-request-bytes"), httpReadTimeout, dataDiskReserve.bytes());
  }
}
