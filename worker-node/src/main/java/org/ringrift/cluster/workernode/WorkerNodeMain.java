package org.ringrift.cluster.workernode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.node.NodeProcess;
import org.ringrift.cluster.node.options.CommandLines;
import org.ringrift.cluster.node.options.DaemonOptions;
import org.ringrift.cluster.node.options.NodeOptions;
import org.ringrift.cluster.node.options.TlsOptions;
import org.ringrift.cluster.raft.RaftSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrnode --worker-only}: runs the heartbeat and the worker agent of a node that is not a
 * Raft member, reaching the cluster through the members' admin API, until SIGTERM or SIGINT.
 * bin/rrnode runs this main when its arguments contain --worker-only; the options keep the names
 * and the environment / config file sources of rrnode's.
 */
@Command(name = "rrnode --worker-only", mixinStandardHelpOptions = true,
    description = "Runs a worker-only node of the RingRift cluster core: no Raft state, work through the members.",
    footer = {"", "Example:",
        "  rrnode --worker-only --id gpu7 --cluster-endpoints 10.0.0.1:9770,10.0.0.2:9770,10.0.0.3:9770 \\",
        "         --data-dir /var/lib/rrnode --http-port 8770 --work-command 'selfplay=/opt/ringrift/bin/selfplay'"})
public final class WorkerNodeMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNodeMain.class);

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin DaemonOptions daemons = new DaemonOptions();
  @Mixin TlsOptions tls = new TlsOptions();

  // Accepted so that bin/rrnode can pass its arguments unchanged: this main is always worker-only.
  @Option(names = "--worker-only", description = "This node is worker-only (always so here; accepted for bin/rrnode).")
  boolean workerOnly;

  @Option(names = "--cluster-endpoints", split = ",", paramLabel = "HOST:PORT",
      description = "Admin endpoints of the members (required; any reachable one serves).")
  List<String> clusterEndpoints = new ArrayList<>();

  // A member's options, refused with a reason rather than as unknown: a worker-only node is not a Raft member.
  @Option(names = "--peers", split = ",", hidden = true, description = "Refused: a worker-only node has no voters.")
  List<String> peers = new ArrayList<>();

  @Option(names = "--admin-port", hidden = true, description = "Refused: a worker-only node serves no admin API.")
  Integer adminPort;

  @Option(names = "--join", hidden = true, description = "Refused: a worker-only node never joins the Raft group.")
  boolean join;

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    WorkerNodeConfig config = toWorkerConfig();
    LOG.info("config {}", CommandLines.effectiveConfig(spec));
    WorkerNodeService worker = new WorkerNodeService(config, Clock.systemUTC());
    return new NodeProcess(config.nodeId(), config.dataDir()).runUntilStopped(worker, worker::start);
  }

  WorkerNodeConfig toWorkerConfig() {
    String nodeId = node.nodeId();
    node.dataDir();
    node.httpPort();
    if (!peers.isEmpty() || adminPort != null || join) {
      throw new IllegalArgumentException("--worker-only takes no --peers, --admin-port or --join: it is not a Raft member");
    }
    List<Endpoint> endpoints = clusterEndpoints.stream().map(String::trim).filter(s -> !s.isEmpty())
        .map(Endpoint::parse).toList();
    return new WorkerNodeConfig(nodeId, endpoints, RaftSettings.defaults().requestTimeout(), node.dataDir(),
        node.bindHost(), node.httpPort(), daemons.settings(true), tls.files(node), tls.insecure());
  }

  /** Builds the command line with its defaults from {@code env} and the --config file named in {@code args}. */
  static CommandLine commandLine(WorkerNodeMain main, String[] args, Map<String, String> env) {
    return CommandLines.build(main, args, env);
  }

  public static void main(String[] args) {
    CommandLines.run("rrnode", new WorkerNodeMain(), args);
  }
}
