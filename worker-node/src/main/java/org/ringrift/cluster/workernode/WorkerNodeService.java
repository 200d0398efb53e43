package org.ringrift.cluster.workernode;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.DaemonState;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.node.HttpStatusServer;
import org.ringrift.cluster.node.NodeDaemons;
import org.ringrift.cluster.node.StatusService;
import org.ringrift.cluster.node.StatusSource;
import org.ringrift.cluster.node.monitor.ProcessMeters;
import org.ringrift.cluster.proto.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker-only rrnode: heartbeat and worker agent over the members' admin API, plus the HTTP
 * status surface. It holds no Raft state, so losing or wiping it loses nothing but running work,
 * which the job reaper hands back to the queue when its leases run out.
 */
public final class WorkerNodeService implements AutoCloseable, StatusSource {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNodeService.class);

  private final WorkerNodeConfig config;
  private final ClusterClient client;
  private final NodeDaemons daemons;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpStatusServer http;
  private boolean closed;

  public WorkerNodeService(WorkerNodeConfig config, Clock clock) {
    this.config = config;
    this.client = new ClusterClient(config.clusterEndpoints(), config.clusterTimeout(), transport(config));
    Proposals proposals = new Proposals(new RemoteStateAccess(client), config.clusterTimeout());
    this.daemons = NodeDaemons.workerOnly(config.nodeId(), proposals, config.daemons(), config.dataDir().resolve("work"),
        clock);
    ProcessMeters.bind(registry, daemons.manager());
    this.http = new HttpStatusServer(this, registry::scrape, org.ringrift.cluster.node.guard.EdgeLimits.defaults());
  }

  /** Mutual TLS with a worker certificate naming this node, or plaintext. */
  private static org.ringrift.cluster.contract.tls.TlsChannels transport(WorkerNodeConfig config) {
    config.tls().ifPresent(files -> {
      org.ringrift.cluster.contract.tls.CertIdentity identity;
      try {
        identity = org.ringrift.cluster.contract.tls.CertIdentity.of(files.cert()).orElse(null);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (identity == null || identity.role() != org.ringrift.cluster.contract.tls.CertRole.WORKER
          || !identity.name().equals(config.nodeId())) {
        throw new IllegalArgumentException("TLS certificate " + files.cert() + " names " + identity
            + ", but this worker-only node needs CN=" + config.nodeId() + ", OU=worker");
      }
    });
    return new org.ringrift.cluster.contract.tls.TlsChannels(config.tls());
  }

  public DaemonManager daemons() {
    return daemons.manager();
  }

  public void start() throws InterruptedException {
    http.start(config.bindHost(), config.httpPort());
    daemons.start();
    LOG.info("worker-only node started node={} cluster={} http={}:{} data={}", config.nodeId(),
        config.clusterEndpoints(), config.bindHost(), config.httpPort(), config.dataDir());
  }

  @Override
  public NodeStatus status() {
    // No Raft fields: this node is not a member. Its daemons' states are in /metrics and in the
    // heartbeat it sends (rrctl nodes ls).
    return NodeStatus.newBuilder().setNodeId(config.nodeId()).setRole("WORKER_ONLY").build();
  }

  /** Ready while its heartbeat reaches the cluster and no daemon is FAILED. */
  @Override
  public StatusService.Readiness readiness() {
    for (DaemonStatus daemon : daemons.manager().list()) {
      if (daemon.state() == DaemonState.FAILED) {
        return new StatusService.Readiness(false, "daemon " + daemon.name() + " FAILED: " + daemon.lastError());
      }
      if (daemon.name().equals("heartbeat") && daemon.state() != DaemonState.RUNNING) {
        return new StatusService.Readiness(false, "heartbeat is " + daemon.state() + ": cluster not reached yet");
      }
    }
    return new StatusService.Readiness(true, "ok: worker-only, heartbeating to " + config.clusterEndpoints());
  }

  /** Stops claiming, releases running work (the worker agent does on stop), then the listeners. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    daemons.close();
    http.close();
    client.close();
    registry.close();
    LOG.info("worker-only node stopped node={}", config.nodeId());
  }
}
