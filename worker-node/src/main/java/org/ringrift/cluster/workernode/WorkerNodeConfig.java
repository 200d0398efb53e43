package org.ringrift.cluster.workernode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.node.DaemonSettings;
import org.ringrift.cluster.node.NodeConfig;

/**
 * A worker-only node: it runs work and heartbeats, reaching the cluster through the members'
 * admin API, and keeps no Raft log or state (its data directory holds only work logs).
 */
public record WorkerNodeConfig(
    String nodeId,
    List<Endpoint> clusterEndpoints,
    Duration clusterTimeout,
    Path dataDir,
    String bindHost,
    int httpPort,
    DaemonSettings daemons,
    java.util.Optional<org.ringrift.cluster.contract.tls.TlsFiles> tls,
    boolean insecure) {

  /** A plaintext worker-only node; its cluster endpoints must be on loopback. */
  public WorkerNodeConfig(String nodeId, List<Endpoint> clusterEndpoints, Duration clusterTimeout, Path dataDir,
      String bindHost, int httpPort, DaemonSettings daemons) {
    this(nodeId, clusterEndpoints, clusterTimeout, dataDir, bindHost, httpPort, daemons, java.util.Optional.empty(),
        false);
  }

  public WorkerNodeConfig {
    if (clusterEndpoints.isEmpty()) {
      throw new IllegalArgumentException("--cluster-endpoints is required for a worker-only node (admin host:port list)");
    }
    if (httpPort < 1 || httpPort > 65535) {
      throw new IllegalArgumentException("--http-port " + httpPort + " is out of range 1-65535");
    }
    clusterEndpoints = List.copyOf(clusterEndpoints);
    if (tls.isEmpty() && !insecure && !NodeConfig.loopback(clusterEndpoints.stream().map(Endpoint::host)
        .toArray(String[]::new))) {
      throw new IllegalArgumentException("refusing plaintext to non-loopback --cluster-endpoints " + clusterEndpoints
          + ": give --tls-dir (or --tls-ca/--tls-cert/--tls-key) with a worker certificate, or --insecure");
    }
  }
}
