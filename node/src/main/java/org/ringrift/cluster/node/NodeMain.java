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
  /** Smaller segments are untested (SnapshotInstallTest runs with 16 KiB). */
  static final long MIN_SEGMENT_BYTES = 16 * 1024;
  /** rrnode's exit code when its state store is corrupt: restarting will not help (exit 2: configuration error). */
  static final int EXIT_CORRUPT_STORE = 3;
  /** A FAILED daemon crashed 4 times within the hour already: retrying it more than once a second is a storm. */
  static final long MIN_FAILED_RETRY_MS = 1000;

  @Option(names = "--config", description = "Java properties file of options: keys are option names without "
      + "dashes (admin-port=9770). Precedence: flag, environment (RRNODE_ADMIN_PORT), file, default.")
  Path configFile;

  @Option(names = "--id", description = "This node's id; must appear in --peers (required).")
  String nodeId;

  @Option(names = "--peers", split = ",",
      description = "Every voter as id=host:raftPort, comma separated (required).")
  List<String> peers = new ArrayList<>();

  @Option(names = "--cluster", defaultValue = "ringrift-dev",
      description = "Cluster name; the Raft group id derives from it (default: ${DEFAULT-VALUE}).")
  String clusterId;

  @Option(names = "--data-dir", description = "Directory for the Raft log, snapshots and state (required).")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address of the admin and HTTP listeners.")
  String bindHost;

  @Option(names = "--admin-port", description = "Admin gRPC port (required).")
  Integer adminPort;

  @Option(names = "--http-port", description = "HTTP status port (required).")
  Integer httpPort;

  @Option(names = "--election-timeout-min-ms", defaultValue = "300", description = "Raft election timeout, lower bound.")
  long electionTimeoutMinMs;

  @Option(names = "--election-timeout-max-ms", defaultValue = "600", description = "Raft election timeout, upper bound.")
  long electionTimeoutMaxMs;

  @Option(names = "--snapshot-threshold", defaultValue = "10000",
      description = "Take a snapshot every this many applied entries.")
  long snapshotThresholdEntries;

  @Option(names = "--log-segment-bytes", defaultValue = "8388608",
      description = "Size at which a Raft log segment is closed; only closed segments are purged behind a snapshot "
          + "(default: ${DEFAULT-VALUE}, at least " + MIN_SEGMENT_BYTES + ").")
  long logSegmentBytes;

  @Option(names = "--unsafe-test-hooks", description = "Chaos tests only: allows -Dringrift.unsafe.* (deliberately "
      + "broken builds) and --clock-offset-file. Only honoured on the command line. Never use in production.")
  boolean unsafeTestHooks;

  @Option(names = "--clock-offset-file", paramLabel = "FILE", description = "Chaos tests only (needs "
      + "--unsafe-test-hooks): this node's clock is the system clock plus the milliseconds written in FILE.")
  Path clockOffsetFile;

  // Hidden: tests only. A capped node stands for the previous build in the rolling-upgrade test
  // (UpgradeIT): it applies and reports only feature levels up to the cap.
  @Option(names = "--test-max-feature-level", hidden = true, defaultValue = "0",
      description = "Tests only: cap the feature levels this node applies, to stand for an older build.")
  int testMaxFeatureLevel;

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

  @Option(names = "--daemon-failed-retry-ms", defaultValue = "300000",
      description = "A daemon that crashed past its restart cap (3 in an hour) is FAILED and tried again this often "
          + "until it runs (default: ${DEFAULT-VALUE}, at least " + MIN_FAILED_RETRY_MS + ").")
  long daemonFailedRetryMs;

  @Option(names = "--group-commit-max-commands", defaultValue = "256",
      description = "Writes of this node carried by one Raft entry, at most (default: ${DEFAULT-VALUE}, 1-1000).")
  int groupCommitMaxCommands;

  @Option(names = "--group-commit-max-bytes", defaultValue = "1048576",
      description = "Encoded bytes of one Raft entry's writes, at most (default: ${DEFAULT-VALUE}).")
  long groupCommitMaxBytes;

  @Option(names = "--group-commit-queue", defaultValue = "4096",
      description = "Writes waiting for a Raft entry, at most; more are refused with RESOURCE_EXHAUSTED "
          + "(default: ${DEFAULT-VALUE}).")
  int groupCommitQueue;

  @Option(names = "--group-commit-in-flight", defaultValue = "2",
      description = "Raft entries of this node's writes proposed and not yet answered, at most "
          + "(default: ${DEFAULT-VALUE}).")
  int groupCommitInFlight;

  @Option(names = "--group-commit-linger-ms", defaultValue = "0",
      description = "How long a batch that is not full waits for more writes (default: ${DEFAULT-VALUE}: never; "
          + "at most 100).")
  long groupCommitLingerMs;

  @Option(names = "--roles", split = ",", defaultValue = "voter", description = "Roles this node reports (default: ${DEFAULT-VALUE}).")
  List<String> roles;

  @Option(names = "--capabilities", split = ",", defaultValue = "", description = "Capabilities this node reports, e.g. gpu,cpu.")
  List<String> capabilities;

  @Option(names = "--work-command", paramLabel = "TYPE=PROGRAM [ARG...]", split = ";",
      description = "Run TYPE work items with this program (repeat per type). Arguments are split on spaces; "
          + "no shell. The payload goes in on stdin; RR_ITEM_ID, RR_WORK_TYPE, RR_ATTEMPT are set.")
  List<String> workCommands = new ArrayList<>();

  @Option(names = "--worker-slots", defaultValue = "2", description = "Work items run at once (default: ${DEFAULT-VALUE}).")
  int workerSlots;

  @Option(names = "--worker-lease-ms", defaultValue = "60000",
      description = "Lease a worker takes and keeps extending (default: ${DEFAULT-VALUE}).")
  long workerLeaseMs;

  @Option(names = "--join", description = "Start outside the Raft configuration and wait to be added "
      + "(rrctl members add ID HOST:PORT); --peers must list this node and the current members.")
  boolean join;

  @Option(names = "--worker-only", description = "Run only the heartbeat and the worker agent, reaching the cluster "
      + "through --cluster-endpoints; no Raft state, no --peers, no --admin-port.")
  boolean workerOnly;

  @Option(names = "--cluster-endpoints", split = ",", paramLabel = "HOST:PORT",
      description = "Admin endpoints of the members, for --worker-only (any reachable one serves).")
  List<String> clusterEndpoints = new ArrayList<>();

  @Option(names = "--no-populate", description = "Do not run the queue populator on this node when it leads.")
  boolean noPopulate;

  @Option(names = "--dataset", paramLabel = "NAME=KIND:PATTERN", split = ";",
      description = "A dataset this node holds and syncs (repeat, or ';'-separate): KIND is selfplay-db, model or "
          + "training-npz; PATTERN a directory under --data-dir, optionally with a glob (models/*.pt).")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--sync-max-files", defaultValue = "1000",
      description = "Files reported per dataset at most (default: ${DEFAULT-VALUE}).")
  int syncMaxFiles;

  @Option(names = "--sync-settle-ms", defaultValue = "10000",
      description = "Files modified more recently are still being written and not reported (default: ${DEFAULT-VALUE}).")
  long syncSettleMs;

  @Option(names = "--sync-disk-reserve-mb", defaultValue = "1024",
      description = "Free disk a transfer to this node must leave, else it fails (default: ${DEFAULT-VALUE}).")
  long syncDiskReserveMb;

  @Option(names = "--tls-dir", paramLabel = "DIR", description = "Mutual TLS on every listener with DIR/ca.pem, "
      + "DIR/<id>.pem and DIR/<id>.key (rrctl certs init writes them).")
  Path tlsDir;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Cluster CA certificate (PEM); instead of --tls-dir.")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "This node's certificate (PEM); instead of --tls-dir.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "This node's private key (PEM); instead of --tls-dir.")
  Path tlsKey;

  @Option(names = "--insecure", description = "Allow plaintext on a non-loopback address: anyone who can reach the "
      + "ports controls the cluster. Reported in /status and rrctl doctor.")
  boolean insecure;

  /** The TLS files from --tls-dir or the three single-file options; empty for plaintext. */
  java.util.Optional<org.ringrift.cluster.client.tls.TlsFiles> tlsFiles() {
    boolean files = tlsCa != null || tlsCert != null || tlsKey != null;
    if (tlsDir != null && files) {
      throw new IllegalArgumentException("give either --tls-dir or --tls-ca/--tls-cert/--tls-key, not both");
    }
    if (tlsDir != null) {
      require(nodeId, "--id");
      return java.util.Optional.of(org.ringrift.cluster.client.tls.TlsFiles.inDir(tlsDir, nodeId));
    }
    if (files) {
      return java.util.Optional.of(new org.ringrift.cluster.client.tls.TlsFiles(tlsCa, tlsCert, tlsKey));
    }
    return java.util.Optional.empty();
  }

  @Option(names = "--admin-max-message-bytes", defaultValue = "4194304",
      description = "Largest gRPC message the admin/peer server accepts (default: ${DEFAULT-VALUE}).")
  int adminMaxMessageBytes;

  @Option(names = "--admin-max-metadata-bytes", defaultValue = "8192",
      description = "Largest gRPC header block the admin/peer server accepts (default: ${DEFAULT-VALUE}).")
  int adminMaxMetadataBytes;

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

  @Option(names = "--admin-connection-idle-ms", defaultValue = "600000",
      description = "Close an admin connection idle this long (default: ${DEFAULT-VALUE}).")
  long adminConnectionIdleMs;

  @Option(names = "--http-max-request-bytes", defaultValue = "8192",
      description = "Largest HTTP request body accepted (default: ${DEFAULT-VALUE}).")
  int httpMaxRequestBytes;

  @Option(names = "--http-read-timeout-ms", defaultValue = "10000",
      description = "Drop an HTTP connection that sends nothing for this long (default: ${DEFAULT-VALUE}).")
  long httpReadTimeoutMs;

  @Option(names = "--data-disk-reserve-mb", defaultValue = "256",
      description = "Free space the data dir's file system keeps; below it the node refuses writes, reports not "
          + "ready and fires disk_full (default: ${DEFAULT-VALUE}).")
  long dataDiskReserveMb;

  @Override
  public Integer call() throws Exception {
    if (workerOnly) {
      WorkerNodeConfig config = toWorkerConfig();
      LOG.info("config {}", effectiveConfig());
      WorkerNodeService worker = new WorkerNodeService(config, Clock.systemUTC());
      return runUntilStopped(worker, worker::start);
    }
    NodeConfig config = toConfig();
    org.ringrift.cluster.daemons.sync.SyncSettings sync = toSyncSettings();
    org.ringrift.cluster.raft.UnsafeTestHooks hooks = unsafeHooks(System.getProperties());
    Clock clock = clock();
    LOG.info("config {}", effectiveConfig());
    if (config.transport() == Transport.INSECURE) {
      LOG.warn("node={} serves plaintext on a non-loopback address because of --insecure bind={} raft={}", nodeId,
          bindHost, config.self().address());
    }
    org.ringrift.cluster.statemachine.features.FeatureSupport features =
        org.ringrift.cluster.statemachine.features.FeatureLevels.BUILD;
    if (testMaxFeatureLevel != 0) {
      features = features.capped(testMaxFeatureLevel);
      LOG.warn("node={} applies feature levels {} only (--test-max-feature-level): it stands for an older build, "
          + "for tests only", nodeId, features);
    }
    NodeService node = new NodeService(config, sync, clock, toEdgeLimits(), hooks, features);
    return runUntilStopped(node, node::start);
  }

  /**
   * The deliberately broken builds asked for by -Dringrift.unsafe.* properties. Refused unless
   * --unsafe-test-hooks was typed on the command line (not taken from the environment or a
   * config file), and each one is logged at ERROR: a node running with one is not safe.
   */
  org.ringrift.cluster.raft.UnsafeTestHooks unsafeHooks(java.util.Properties properties) {
    boolean flagTyped = unsafeTestHooks && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--unsafe-test-hooks");
    if (unsafeTestHooks && !flagTyped) {
      throw new IllegalArgumentException("--unsafe-test-hooks is only honoured on the command line, "
          + "not from the environment or a config file");
    }
    if (clockOffsetFile != null && !flagTyped) {
      throw new IllegalArgumentException("--clock-offset-file is a chaos test hook and needs --unsafe-test-hooks");
    }
    org.ringrift.cluster.raft.UnsafeTestHooks hooks = UnsafeHookSwitches.parse(properties, flagTyped);
    if (flagTyped) {
      LOG.error("node={} UNSAFE TEST HOOKS ENABLED: fencing_disabled={} linearizable_reads_disabled={} local_reads={} "
          + "shared_ordered_client={} clock_offset_file={}; this node is deliberately broken, for chaos tests only",
          nodeId, hooks.fencingDisabled(), hooks.linearizableReadsDisabled(), hooks.localReads(),
          hooks.sharedOrderedClient(), clockOffsetFile);
    }
    return hooks;
  }

  private Clock clock() {
    return clockOffsetFile == null ? Clock.systemUTC()
        : new OffsetFileClock(Clock.systemUTC(), clockOffsetFile, System::nanoTime);
  }

  /** What both kinds of node do at start. */
  private interface Starter {
    void start() throws Exception;
  }

  private Integer runUntilStopped(AutoCloseable node, Starter starter) throws InterruptedException {
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
      starter.start();
    } catch (Exception e) {
      java.util.Optional<org.ringrift.cluster.statemachine.store.StoreCorruptException> corrupt = corruption(e);
      if (corrupt.isPresent()) {
        LOG.error("node={} refuses to serve: {}. It cannot be repaired in place: rejoin it from the leader's snapshot "
            + "(docs/OPERATIONS.md, 'Recovering a node whose state store is corrupt'): rrctl members remove {}; "
            + "move {} aside; start rrnode with --join; rrctl members add {} HOST:RAFT_PORT", nodeId,
            corrupt.get().getMessage(), nodeId, dataDir, nodeId);
        closeQuietly(node);
        return EXIT_CORRUPT_STORE;
      }
      LOG.error("node={} failed to start: {}", nodeId, e.getMessage());
      try {
        node.close();
      } catch (Exception closing) {
        LOG.error("node={} did not stop cleanly: {}", nodeId, closing.toString());
      }
      return 1;
    }
    stopped.await();
    return 0;
  }

  private void closeQuietly(AutoCloseable node) {
    try {
      node.close();
    } catch (Exception closing) {
      LOG.error("node={} did not stop cleanly: {}", nodeId, closing.toString());
    }
  }

  /** The store corruption somewhere in the causes of a failed start (Ratis wraps what the state machine threw). */
  static java.util.Optional<org.ringrift.cluster.statemachine.store.StoreCorruptException> corruption(Throwable e) {
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(e));
    while (!todo.isEmpty() && seen.size() < 100) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof org.ringrift.cluster.statemachine.store.StoreCorruptException corrupt) {
        return java.util.Optional.of(corrupt);
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable suppressed : t.getSuppressed()) {
        todo.push(suppressed);
      }
    }
    return java.util.Optional.empty();
  }

  /** Every option's effective value on one line; nothing is redacted: TLS options name key files, never hold keys. */
  private String effectiveConfig() {
    StringBuilder line = new StringBuilder();
    for (CommandLine.Model.OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      Object value = option.getValue();
      line.append(OptionDefaults.key(option)).append('=').append(value == null ? "" : value).append(' ');
    }
    return line.toString().trim();
  }

  WorkerNodeConfig toWorkerConfig() {
    require(nodeId, "--id");
    require(dataDir, "--data-dir");
    require(httpPort, "--http-port");
    if (!peers.isEmpty() || adminPort != null || join) {
      throw new IllegalArgumentException("--worker-only takes no --peers, --admin-port or --join: it is not a Raft member");
    }
    List<org.ringrift.cluster.client.Endpoint> endpoints = clusterEndpoints.stream().map(String::trim)
        .filter(s -> !s.isEmpty()).map(org.ringrift.cluster.client.Endpoint::parse).toList();
    return new WorkerNodeConfig(nodeId, endpoints, RaftSettings.defaults().requestTimeout(), dataDir, bindHost, httpPort,
        daemonSettings(workCommands()), tlsFiles(), insecure);
  }

  NodeConfig toConfig() {
    require(nodeId, "--id");
    require(dataDir, "--data-dir");
    require(adminPort, "--admin-port");
    require(httpPort, "--http-port");
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("--peers is required (flag, RRNODE_PEERS or peers= in the config file)");
    }
    if (logSegmentBytes < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException("--log-segment-bytes " + logSegmentBytes + " is below the minimum "
          + MIN_SEGMENT_BYTES);
    }
    RaftSettings defaults = RaftSettings.defaults();
    RaftSettings raft = new RaftSettings(Duration.ofMillis(electionTimeoutMinMs), Duration.ofMillis(electionTimeoutMaxMs),
        defaults.requestTimeout(), snapshotThresholdEntries, defaults.snapshotRetentionCount(),
        defaults.appenderBufferBytes(), logSegmentBytes,
        // Purge as often as snapshots come, or a small threshold would still wait for 1024 entries.
        (int) Math.min(defaults.purgeGapEntries(), snapshotThresholdEntries), defaults.pendingWriteLimit(),
        defaults.clientRetryAttempts(), defaults.clientRetryInterval(), defaults.callAttemptTimeout(),
        defaults.remoteCallThreads(), groupCommit());
    ClusterSpec cluster = new ClusterSpec(clusterId, peers.stream().map(Member::parse).toList());
    return new NodeConfig(nodeId, cluster, dataDir, bindHost, adminPort, httpPort, raft, daemonSettings(workCommands()),
        readyMaxLagEntries, join, tlsFiles(), insecure);
  }

  private org.ringrift.cluster.raft.GroupCommitSettings groupCommit() {
    try {
      return new org.ringrift.cluster.raft.GroupCommitSettings(groupCommitMaxCommands, groupCommitMaxBytes,
          groupCommitQueue, groupCommitInFlight, Duration.ofMillis(groupCommitLingerMs));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--group-commit-*: " + e.getMessage(), e);
    }
  }

  private java.util.Map<org.ringrift.cluster.proto.WorkType, List<String>> workCommands() {
    java.util.Map<org.ringrift.cluster.proto.WorkType, List<String>> commands = new java.util.LinkedHashMap<>();
    for (String spec : workCommands) {
      int eq = spec.indexOf('=');
      String typeName = eq < 0 ? spec : spec.substring(0, eq);
      org.ringrift.cluster.proto.WorkType type = org.ringrift.cluster.contract.names.WorkTypes.parse(typeName)
          .orElseThrow(() -> new IllegalArgumentException("--work-command '" + spec + "': unknown work type '"
              + typeName + "'; one of " + org.ringrift.cluster.contract.names.WorkTypes.names()));
      List<String> argv = eq < 0 ? List.of() : List.of(spec.substring(eq + 1).trim().split("\\s+"));
      if (argv.isEmpty() || argv.get(0).isEmpty()) {
        throw new IllegalArgumentException("--work-command '" + spec + "' needs TYPE=PROGRAM");
      }
      commands.put(type, argv);
    }
    return commands;
  }

  private DaemonSettings daemonSettings(java.util.Map<org.ringrift.cluster.proto.WorkType, List<String>> commands) {
    List<String> nodeRoles = new ArrayList<>(roles);
    if (workerOnly) {
      nodeRoles.remove("voter");
    }
    if (!commands.isEmpty() && !nodeRoles.contains("worker")) {
      nodeRoles.add("worker");
    }
    if (daemonFailedRetryMs < MIN_FAILED_RETRY_MS) {
      throw new IllegalArgumentException("--daemon-failed-retry-ms " + daemonFailedRetryMs + " is below the minimum "
          + MIN_FAILED_RETRY_MS);
    }
    DaemonSettings daemons = new DaemonSettings(Duration.ofMillis(heartbeatMs), Duration.ofMillis(leaderTickMs),
        Duration.ofMillis(reaperGraceMs), Duration.ofMillis(retentionTickMs), Duration.ofSeconds(2), nodeRoles,
        capabilities.stream().filter(c -> !c.isBlank()).toList(), !noPopulate, commands, workerSlots,
        Duration.ofMillis(workerLeaseMs), Duration.ofMillis(daemonFailedRetryMs));
    return daemons;
  }

  org.ringrift.cluster.node.guard.EdgeLimits toEdgeLimits() {
    return new org.ringrift.cluster.node.guard.EdgeLimits(adminMaxMessageBytes, adminMaxMetadataBytes, adminRateLimit,
        adminRateBurst, adminMaxCallers, adminMaxCallsPerConnection, adminMaxWatchStreams,
        Duration.ofMillis(adminConnectionIdleMs), httpMaxRequestBytes, Duration.ofMillis(httpReadTimeoutMs),
        dataDiskReserveMb << 20);
  }

  org.ringrift.cluster.daemons.sync.SyncSettings toSyncSettings() {
    List<org.ringrift.cluster.daemons.sync.DatasetSpec> specs = datasets.stream().filter(d -> !d.isBlank())
        .map(org.ringrift.cluster.daemons.sync.DatasetSpec::parse).toList();
    org.ringrift.cluster.daemons.sync.SyncSettings defaults =
        org.ringrift.cluster.daemons.sync.SyncSettings.defaults(dataDir, specs);
    if (syncDiskReserveMb < 0) {
      throw new IllegalArgumentException("--sync-disk-reserve-mb must be >= 0");
    }
    return new org.ringrift.cluster.daemons.sync.SyncSettings(dataDir, specs, syncMaxFiles, Duration.ofMillis(syncSettleMs),
        defaults.chunkBytes(), defaults.executorInterval(), defaults.progressInterval(), syncDiskReserveMb << 20,
        defaults.maxStreamRetries());
  }

  private static void require(Object value, String flag) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " is required (flag, " + OptionDefaults.ENV_PREFIX
          + flag.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_') + " or "
          + flag.substring(2) + "= in the config file)");
    }
  }

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Builds the command line with its defaults from {@code env} and the --config file named in {@code args}. */
  static CommandLine commandLine(NodeMain main, String[] args, java.util.Map<String, String> env) {
    CommandLine cli = new CommandLine(main);
    Path configFile = configFileIn(args, env);
    OptionDefaults defaults = OptionDefaults.load(configFile, env);
    defaults.checkKnown(cli.getCommandSpec(), configFile);
    cli.setDefaultValueProvider(defaults);
    return cli;
  }

  private static Path configFileIn(String[] args, java.util.Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get(OptionDefaults.ENV_PREFIX + "CONFIG");
    return fromEnv == null ? null : Path.of(fromEnv);
  }

  public static void main(String[] args) {
    CommandLine cli;
    try {
      cli = commandLine(new NodeMain(), args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("rrnode: " + e.getMessage());
      System.exit(2);
      return;
    }
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
