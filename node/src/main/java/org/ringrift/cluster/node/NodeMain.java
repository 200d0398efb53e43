package org.ringrift.cluster.node;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.ringrift.cluster.raft.ClusterSpec;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rrnode}: runs one cluster member until SIGTERM or SIGINT, then stops cleanly. */
@Command(name = "rrnode", mixinStandardHelpOptions = true,
    description = "Runs one member of the RingRift cluster core.",
    footer = {"", "Example (node 1 of the dev cluster):",
        "  rrnode --id n1 --peers n1=127.0.0.1:9870,n2=127.0.0.1:9871,n3=127.0.0.1:9872 \\",
        "         --admin-port 9770 --http-port 8770 --data-dir data/n1"})
public final class NodeMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeMain.class);

  @Option(names = "--id", required = true, description = "This node's id; must appear in --peers.")
  String nodeId;

  @Option(names = "--peers", required = true, split = ",",
      description = "Every voter as id=host:raftPort, comma separated.")
  List<String> peers = new ArrayList<>();

  @Option(names = "--cluster", defaultValue = "ringrift-dev",
      description = "Cluster name; the Raft group id derives from it (default: ${DEFAULT-VALUE}).")
  String clusterId;

  @Option(names = "--data-dir", required = true, description = "Directory for the Raft log, snapshots and state.")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address of the admin and HTTP listeners.")
  String bindHost;

  @Option(names = "--admin-port", required = true, description = "Admin gRPC port.")
  int adminPort;

  @Option(names = "--http-port", required = true, description = "HTTP status port.")
  int httpPort;

  @Option(names = "--election-timeout-min-ms", defaultValue = "300", description = "Raft election timeout, lower bound.")
  long electionTimeoutMinMs;

  @Option(names = "--election-timeout-max-ms", defaultValue = "600", description = "Raft election timeout, upper bound.")
  long electionTimeoutMaxMs;

  @Option(names = "--snapshot-threshold", defaultValue = "10000",
      description = "Take a snapshot every this many applied entries.")
  long snapshotThresholdEntries;

  @Option(names = "--ready-max-lag", defaultValue = "1000",
      description = "/health/ready fails when this node's applied index trails the commit index by more.")
  long readyMaxLagEntries;

  @Option(names = "--heartbeat-ms", defaultValue = "15000", description = "Heartbeat interval (default: ${DEFAULT-VALUE}).")
  long heartbeatMs;

  @Option(names = "--leader-tick-ms", defaultValue = "5000",
      description = "How often the job reaper and node liveness run on the leader (default: ${DEFAULT-VALUE}).")
  long leaderTickMs;

  @Option(names = "--reaper-grace-ms", defaultValue = "30000",
      description = "A new leader expires no lease for this long (default: ${DEFAULT-VALUE}).")
  long reaperGraceMs;

  @Option(names = "--retention-tick-ms", defaultValue = "60000", description = "How often retention prunes (default: ${DEFAULT-VALUE}).")
  long retentionTickMs;

  @Option(names = "--roles", split = ",", defaultValue = "voter", description = "Roles this node reports (default: ${DEFAULT-VALUE}).")
  List<String> roles;

  @Option(names = "--capabilities", split = ",", defaultValue = "", description = "Capabilities this node reports, e.g. gpu,cpu.")
  List<String> capabilities;

  @Option(names = "--work-command", paramLabel = "TYPE=PROGRAM [ARG...]",
      description = "Run TYPE work items with this program (repeat per type). Arguments are split on spaces; "
          + "no shell. The payload goes in on stdin; RR_ITEM_ID, RR_WORK_TYPE, RR_ATTEMPT are set.")
  List<String> workCommands = new ArrayList<>();

  @Option(names = "--worker-slots", defaultValue = "2", description = "Work items run at once (default: ${DEFAULT-VALUE}).")
  int workerSlots;

  @Option(names = "--worker-lease-ms", defaultValue = "60000",
      description = "Lease a worker takes and keeps extending (default: ${DEFAULT-VALUE}).")
  long workerLeaseMs;

  @Option(names = "--no-populate", description = "Do not run the queue populator on this node when it leads.")
  boolean noPopulate;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = toConfig();
    if (!config.bindsLoopbackOnly()) {
      LOG.warn("node={} serves plaintext on a non-loopback address bind={} raft={}", nodeId, bindHost,
          config.self().address());
    }
    NodeService node = new NodeService(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        LOG.error("node={} did not stop cleanly: {}", nodeId, e.toString());
      } finally {
        stopped.countDown();
      }
    }, "rrnode-shutdown"));
    try {
      node.start();
    } catch (Exception e) {
      LOG.error("node={} failed to start: {}", nodeId, e.getMessage());
      node.close();
      return 1;
    }
    stopped.await();
    return 0;
  }

  private NodeConfig toConfig() {
    RaftSettings defaults = RaftSettings.defaults();
    RaftSettings raft = new RaftSettings(Duration.ofMillis(electionTimeoutMinMs), Duration.ofMillis(electionTimeoutMaxMs),
        defaults.requestTimeout(), snapshotThresholdEntries, defaults.snapshotRetentionCount(),
        defaults.appenderBufferBytes(), defaults.segmentSizeBytes(), defaults.purgeGapEntries(), defaults.pendingWriteLimit(),
        defaults.clientRetryAttempts(), defaults.clientRetryInterval());
    ClusterSpec cluster = new ClusterSpec(clusterId, peers.stream().map(Member::parse).toList());
    java.util.Map<org.ringrift.cluster.proto.WorkType, List<String>> commands = new java.util.LinkedHashMap<>();
    for (String spec : workCommands) {
      int eq = spec.indexOf('=');
      String typeName = eq < 0 ? spec : spec.substring(0, eq);
      org.ringrift.cluster.proto.WorkType type = org.ringrift.cluster.client.views.WorkTypes.parse(typeName)
          .orElseThrow(() -> new IllegalArgumentException("--work-command '" + spec + "': unknown work type '"
              + typeName + "'; one of " + org.ringrift.cluster.client.views.WorkTypes.names()));
      List<String> argv = eq < 0 ? List.of() : List.of(spec.substring(eq + 1).trim().split("\\s+"));
      if (argv.isEmpty() || argv.get(0).isEmpty()) {
        throw new IllegalArgumentException("--work-command '" + spec + "' needs TYPE=PROGRAM");
      }
      commands.put(type, argv);
    }
    List<String> nodeRoles = new ArrayList<>(roles);
    if (!commands.isEmpty() && !nodeRoles.contains("worker")) {
      nodeRoles.add("worker");
    }
    DaemonSettings daemons = new DaemonSettings(Duration.ofMillis(heartbeatMs), Duration.ofMillis(leaderTickMs),
        Duration.ofMillis(reaperGraceMs), Duration.ofMillis(retentionTickMs), Duration.ofSeconds(2), nodeRoles,
        capabilities.stream().filter(c -> !c.isBlank()).toList(), !noPopulate, commands, workerSlots,
        Duration.ofMillis(workerLeaseMs));
    return new NodeConfig(nodeId, cluster, dataDir, bindHost, adminPort, httpPort, raft, daemons, readyMaxLagEntries);
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new NodeMain());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("rrnode: " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    });
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
