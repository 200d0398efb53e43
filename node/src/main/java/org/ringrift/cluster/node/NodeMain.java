package org.ringrift.cluster.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import org.ringrift.cluster.node.guard.EdgeLimits;
import org.ringrift.cluster.node.options.CommandLines;
import org.ringrift.cluster.node.options.DaemonOptions;
import org.ringrift.cluster.node.options.LimitOptions;
import org.ringrift.cluster.node.options.NodeOptions;
import org.ringrift.cluster.node.options.RaftOptions;
import org.ringrift.cluster.node.options.SyncOptions;
import org.ringrift.cluster.node.options.TlsOptions;
import org.ringrift.cluster.raft.UnsafeTestHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrnode}: runs one cluster member until SIGTERM or SIGINT, then stops cleanly. A
 * worker-only node ({@code --worker-only}) is the worker-node module's WorkerNodeMain, which
 * bin/rrnode runs instead when its arguments ask for one.
 */
@Command(name = "rrnode", mixinStandardHelpOptions = true,
    description = "Runs one member of the RingRift cluster core.",
    footer = {"", "Example (node 1 of the dev cluster):",
        "  rrnode --id n1 --peers n1=127.0.0.1:9870,n2=127.0.0.1:9871,n3=127.0.0.1:9872 \\",
        "         --admin-port 9770 --http-port 8770 --data-dir data/n1"})
public final class NodeMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeMain.class);
  /** rrnode's exit code when its state store is corrupt: restarting will not help (exit 2: configuration error). */
  static final int EXIT_CORRUPT_STORE = NodeProcess.EXIT_CORRUPT_STORE;

  @Mixin NodeOptions node = new NodeOptions();
  @Mixin RaftOptions raft = new RaftOptions();
  @Mixin LimitOptions limits = new LimitOptions();
  @Mixin DaemonOptions daemons = new DaemonOptions();
  @Mixin SyncOptions sync = new SyncOptions();
  @Mixin TlsOptions tls = new TlsOptions();
  @Mixin TestHookOptions hooks = new TestHookOptions();

  @Option(names = "--worker-only", description = "Run only the heartbeat and the worker agent, reaching the cluster "
      + "through --cluster-endpoints; no Raft state, no --peers, no --admin-port. bin/rrnode runs the worker-node "
      + "jar for it.")
  boolean workerOnly;

  @Option(names = "--cluster-endpoints", split = ",", paramLabel = "HOST:PORT",
      description = "Admin endpoints of the members, for --worker-only (any reachable one serves).")
  List<String> clusterEndpoints = new ArrayList<>();

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (workerOnly) {
      // The member's jar holds no worker-only node: that one talks to the cluster through its client.
      throw new IllegalArgumentException("--worker-only runs the worker-node jar (org.ringrift.cluster.workernode."
          + "WorkerNodeMain): give it on bin/rrnode's command line, or set RRNODE_WORKER_ONLY=true for bin/rrnode");
    }
    NodeConfig config = toConfig();
    SyncSettings syncSettings = toSyncSettings();
    UnsafeTestHooks unsafe = unsafeHooks(System.getProperties());
    java.time.Clock clock = hooks.clock();
    LOG.info("config {}", CommandLines.effectiveConfig(spec));
    if (config.transport() == Transport.INSECURE) {
      LOG.warn("node={} serves plaintext on a non-loopback address because of --insecure bind={} raft={}",
          config.nodeId(), config.bindHost(), config.self().address());
    }
    NodeService service = new NodeService(config, syncSettings, clock, toEdgeLimits(), unsafe,
        hooks.features(config.nodeId()));
    return new NodeProcess(config.nodeId(), config.dataDir()).runUntilStopped(service, service::start);
  }

  /** The deliberately broken builds asked for by -Dringrift.unsafe.* properties (see {@link TestHookOptions}). */
  UnsafeTestHooks unsafeHooks(Properties properties) {
    return hooks.unsafeHooks(properties, spec.commandLine().getParseResult(), node.nodeIdOrNull());
  }

  NodeConfig toConfig() {
    String nodeId = node.nodeId();
    node.dataDir();
    limits.adminPort();
    node.httpPort();
    return new NodeConfig(nodeId, raft.cluster(), node.dataDir(), node.bindHost(), limits.adminPort(), node.httpPort(),
        raft.settings(), daemons.settings(false), raft.readyMaxLagEntries(), raft.join(), tls.files(node),
        tls.insecure());
  }

  EdgeLimits toEdgeLimits() {
    return limits.edgeLimits();
  }

  SyncSettings toSyncSettings() {
    return sync.settings(node.dataDirOrNull());
  }

  /** Builds the command line with its defaults from {@code env} and the --config file named in {@code args}. */
  static CommandLine commandLine(NodeMain main, String[] args, Map<String, String> env) {
    return CommandLines.build(main, args, env);
  }

  public static void main(String[] args) {
    CommandLines.run("rrnode", new NodeMain(), args);
  }
}
