package org.ringrift.cluster.node;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Optional;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.node.auth.AccessTable;
import org.ringrift.cluster.node.auth.AuthInterceptor;
import org.ringrift.cluster.node.auth.Authorization;
import org.ringrift.cluster.node.auth.DeniedCalls;
import org.ringrift.cluster.node.auth.WorkerScope;
import org.ringrift.cluster.node.tls.NodeTls;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.WorkItem;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.ringrift.cluster.daemons.sync.ChunkSource;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.ringrift.cluster.node.guard.CallerKey;
import org.ringrift.cluster.node.guard.DiskGuard;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.node.guard.EdgeLimits;
import org.ringrift.cluster.node.guard.RateLimitInterceptor;
import org.ringrift.cluster.node.guard.StrictDecoding;
import org.ringrift.cluster.node.monitor.AlertRules;
import org.ringrift.cluster.node.sync.SyncNode;
import org.ringrift.cluster.node.monitor.NodeMonitor;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.raft.RaftNodeConfig;
import org.ringrift.cluster.raft.UnsafeTestHooks;
import org.ringrift.cluster.statemachine.CommandChecks;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One rrnode: the Raft member, the admin gRPC server and the HTTP status server, started and stopped together. */
public final class NodeService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

  private final NodeConfig config;
  private final RaftNode raft;
  private final StatusService status;
  private final HealthStatusManager health = new HealthStatusManager();
  private final HttpStatusServer http;
  private final LeaderRecorder leaderRecorder;
  private final NodeDaemons daemons;
  private final NodeMonitor monitor;
  private final Server admin;
  private final SyncNode sync;
  private final PeerReads peerReads;
  private final DiskGuard disk;
  private static final java.time.Duration DISK_CHECK_INTERVAL = java.time.Duration.ofSeconds(1);
  private boolean closed;

  public NodeService(NodeConfig config, Clock clock) throws IOException {
    this(config, SyncSettings.defaults(config.dataDir(), java.util.List.of()), clock);
  }

  public NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock) throws IOException {
    this(config, syncSettings, clock, UnaryOperator.identity(), EdgeLimits.defaults(), UnsafeTestHooks.NONE,
        FeatureLevels.BUILD);
  }

  public NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock, EdgeLimits edge) throws IOException {
    this(config, syncSettings, clock, UnaryOperator.identity(), edge, UnsafeTestHooks.NONE, FeatureLevels.BUILD);
  }

  /**
   * {@code edge}: the limits this node enforces on callers of its admin, peer and HTTP listeners;
   * {@code hooks}: deliberately broken builds for the chaos harness (rrnode --unsafe-test-hooks).
   */
  public NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock, EdgeLimits edge,
      UnsafeTestHooks hooks) throws IOException {
    this(config, syncSettings, clock, UnaryOperator.identity(), edge, hooks, FeatureLevels.BUILD);
  }

  /** {@code features}: the feature levels this node applies; this build's unless a test caps them. */
  public NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock, EdgeLimits edge,
      UnsafeTestHooks hooks, FeatureSupport features) throws IOException {
    this(config, syncSettings, clock, UnaryOperator.identity(), edge, hooks, features);
  }

  /** {@code syncEdge} wraps the chunk source the sync executor reads through (tests inject faults). */
  NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock, UnaryOperator<ChunkSource> syncEdge)
      throws IOException {
    this(config, syncSettings, clock, syncEdge, EdgeLimits.defaults(), UnsafeTestHooks.NONE, FeatureLevels.BUILD);
  }

  NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock, UnaryOperator<ChunkSource> syncEdge,
      EdgeLimits edge) throws IOException {
    this(config, syncSettings, clock, syncEdge, edge, UnsafeTestHooks.NONE, FeatureLevels.BUILD);
  }

  private NodeService(NodeConfig config, SyncSettings syncSettings, Clock clock, UnaryOperator<ChunkSource> syncEdge,
      EdgeLimits edge, UnsafeTestHooks hooks, FeatureSupport features) throws IOException {
    this.config = config;
    NodeTls tls = config.tls().isPresent() ? new NodeTls(config.tls().get(), config.nodeId()) : null;
    this.sync = new SyncNode(syncSettings, config.self().host() + ":" + config.adminPort(), clock, syncEdge,
        tls == null ? TlsChannels.plaintext() : tls.channels());
    QueueLimits limits = QueueLimits.defaults();
    this.raft = new RaftNode(new RaftNodeConfig(config.cluster(), config.nodeId(), config.dataDir(), config.raft(),
        limits, clock, config.joining(), hooks, Optional.ofNullable(tls).map(NodeTls::raftTls), features));
    this.leaderRecorder = new LeaderRecorder(config.nodeId(), raft.client(), raft.gate());
    this.daemons = new NodeDaemons(raft, config.daemons(), config.dataDir().resolve("work"), clock, sync);
    this.monitor = new NodeMonitor(raft, daemons.manager(), clock, AlertRules.defaults());
    sync.bindMetrics(monitor.registry());
    FsyncProbe.Result fsync = FsyncProbe.measure(config.dataDir());
    LOG.info("fsync probe node={} dir={} p50_us={} max_us={} samples={}", config.nodeId(), config.dataDir(),
        fsync.p50Micros(), fsync.maxMicros(), fsync.samples());
    NodeFactsSource facts = new NodeFactsSource(raft, fsync, clock, config.transport());
    // --- disk guard: below the data dir's reserve, refuse writes, report not ready, fire disk_full ---
    this.disk = new DiskGuard(config.dataDir(), edge.dataDiskReserveBytes(), DISK_CHECK_INTERVAL, clock,
        DiskGuard.fileStore());
    disk.bindMetrics(monitor.registry());
    io.micrometer.core.instrument.Gauge.builder("ringrift_alert_firing", raft, r -> r.applyHalted().isPresent() ? 1 : 0)
        .tags(io.micrometer.core.instrument.Tags.of("alert", VersionInfo.APPLY_HALTED))
        .description("1 while this node's alert is firing (rrctl status shows why)").register(monitor.registry());
    Supplier<List<Alert>> alerts = () -> Stream.concat(monitor.alerts().stream(),
        Stream.of(disk.alert(), VersionInfo.haltAlert(raft))).toList();
    // --- end disk guard ---
    this.status = new StatusService(raft, config.readyMaxLagEntries(), alerts, daemons.manager()::list,
        facts::facts, disk::refusal, raft::applyHalted);
    AdminService adminService = new AdminService(raft, new CommandChecks(limits), status, daemons.manager(),
        daemons.events(), edge.maxWatchStreams(), disk::refusal);
    DeniedCalls denied = new DeniedCalls(monitor.registry());
    Optional<Authorization> authorization = tls == null ? Optional.empty()
        : Optional.of(new Authorization(AccessTable.standard(), denied));
    // --- console: the page and its API on the HTTP port, authorized as the admin port is ---
    this.peerReads = new PeerReads(tls == null ? TlsChannels.plaintext() : tls.channels(), this::consoleAddresses);
    ConsoleEvents consoleEvents = new ConsoleEvents(daemons.events()::subscribe, edge.maxWatchStreams());
    this.http = new HttpStatusServer(status, monitor::scrape, edge, Optional.of(new HttpStatusServer.Console(
        new ConsoleApi(config.nodeId(), adminService, authorization, peerReads), new ConsoleAssets(), consoleEvents,
        tls == null ? Optional.empty() : Optional.of(tls.httpServerContext()))));
    // --- end console ---
    NettyServerBuilder adminBuilder = NettyServerBuilder.forAddress(
        new InetSocketAddress(config.bindHost(), config.adminPort()));
    if (tls != null) {
      adminBuilder.sslContext(tls.adminServerContext()).intercept(new AuthInterceptor(authorization.get(),
          new WorkerScope(this::leasedItem), denied));
    }
    this.admin = adminBuilder
        // --- edge limits (hostile input): sizes, concurrency, idle connections, per-caller rate ---
        .maxInboundMessageSize(edge.maxMessageBytes())
        .maxInboundMetadataSize(edge.maxMetadataBytes())
        .maxConcurrentCallsPerConnection(edge.maxConcurrentCallsPerConnection())
        .maxConnectionIdle(edge.connectionIdle().toMillis(), TimeUnit.MILLISECONDS)
        .intercept(new SessionHeaders())
        .intercept(new LeaderHeaders(raft::leaderId, config.nodeId(), config.self().host() + ":" + config.adminPort(),
            this::registryAdminAddresses))
        // Added last, so it runs first: a caller over its rate is refused before any other work.
        .intercept(new RateLimitInterceptor(edge, CallerKey.remoteAddress(), monitor.registry()))
        // --- end edge limits ---
        .addService(StrictDecoding.wrap(adminService.bindService()))
        .addService(StrictDecoding.wrap(sync.peerService().bindService()))
        .addService(StrictDecoding.wrap(health.getHealthService().bindService()))
        .addService(StrictDecoding.wrap(ProtoReflectionServiceV1.newInstance().bindService()))
        .build();
  }

  /** The registry's admin addresses, with this node's own (it may not have heartbeated yet). */
  private java.util.Map<String, String> consoleAddresses() {
    java.util.Map<String, String> addresses = new java.util.HashMap<>(registryAdminAddresses());
    addresses.put(config.nodeId(), config.self().host() + ":" + config.adminPort());
    return addresses;
  }

  /** Node id -> admin address, as the nodes' heartbeats reported them to this node's applied registry. */
  private java.util.Map<String, String> registryAdminAddresses() {
    try {
      java.util.Map<String, String> addresses = new java.util.HashMap<>();
      for (org.ringrift.cluster.proto.NodeRecord node : raft.client().readLocal(Query.newBuilder()
          .setListNodes(org.ringrift.cluster.proto.ListNodesRequest.getDefaultInstance()).build())
          .getListNodes().getNodesList()) {
        String address = node.getResourcesOrDefault(org.ringrift.cluster.daemons.sync.DatasetReporter.ENDPOINT_RESOURCE, "");
        if (!address.isEmpty()) {
          addresses.put(node.getNodeId(), address);
        }
      }
      return addresses;
    } catch (IOException e) {
      return java.util.Map.of();
    }
  }

  /** A linearizable read of one item, for the worker lease check; empty if there is none. */
  private Optional<WorkItem> leasedItem(String itemId) throws Exception {
    QueryResult result = raft.client().read(Query.newBuilder()
        .setGetItem(GetItemRequest.newBuilder().setItemId(itemId)).build())
        .get(config.raft().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return result.hasGetItem() && result.getGetItem().hasItem() ? Optional.of(result.getGetItem().getItem())
        : Optional.empty();
  }

  public NodeConfig config() {
    return config;
  }

  public org.ringrift.cluster.daemons.DaemonManager daemons() {
    return daemons.manager();
  }

  public RaftNode raft() {
    return raft;
  }

  public StatusService status() {
    return status;
  }

  public void start() throws IOException, InterruptedException {
    // Ratis exits the JVM when it cannot bind; say which port is taken before it gets the chance.
    requireFree(config.self().host(), config.self().raftPort(), "raft");
    disk.start();
    raft.start();
    admin.start();
    http.start(config.bindHost(), config.httpPort());
    daemons.start();
    monitor.start();
    LOG.info("node started node={} raft={} admin={}:{} http={}:{} data={}", config.nodeId(),
        config.self().address(), config.bindHost(), config.adminPort(), config.bindHost(), config.httpPort(),
        config.dataDir());
  }

  private static void requireFree(String host, int port, String what) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new IOException(what + " port " + host + ":" + port + " is not free: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    health.enterTerminalState();
    monitor.close();
    disk.close();
    daemons.close();
    sync.close();
    admin.shutdown();
    try {
      if (!admin.awaitTermination(5, TimeUnit.SECONDS)) {
        admin.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admin.shutdownNow();
    }
    http.close();
    peerReads.close();
    leaderRecorder.close();
    raft.close();
    LOG.info("node stopped node={}", config.nodeId());
  }
}
