package org.ringrift.cluster.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.ringrift.cluster.raft.ratis.StalePeerChannels;
import org.ringrift.cluster.raft.tls.MemberTrustManager;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One member's Raft server, its state machine and a client into the group. */
public final class RaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

  private final ClusterSpec spec;
  private final Member self;
  private final RaftSettings settings;
  private final LeadershipGate gate;
  private final ClusterStateMachine stateMachine;
  private final RaftServer server;
  private final RaftViews views;
  private final StalePeerChannels staleChannels;
  private final RaftClient raftClient;
  private final RaftAdmin admin;
  private final ReplicatedClient client;

  public RaftNode(RaftNodeConfig config) throws IOException {
    this.spec = config.spec();
    String selfId = config.selfId();
    this.self = spec.member(selfId).orElseThrow(
        () -> new IllegalArgumentException("node id " + selfId + " is not among the members " + spec.members()));
    this.settings = config.settings();
    UnsafeTestHooks hooks = config.hooks();
    boolean linearizableReads = !hooks.linearizableReadsDisabled();
    this.gate = new LeadershipGate(selfId);
    this.stateMachine = new ClusterStateMachine(config.dataDir().resolve("state"), config.queueLimits(), gate,
        !hooks.fencingDisabled(), config.features());
    RaftProperties serverProperties = RatisProperties.forServer(settings, config.dataDir().resolve("raft"),
        self.host(), self.raftPort(), linearizableReads);
    Parameters parameters = config.tls().map(t -> RatisProperties.tls(t.keyManager(),
        new MemberTrustManager(t.caTrust(), t.peerCheck(), this::isKnownMember))).orElseGet(Parameters::new);
    this.server = RaftServer.newBuilder()
        .setParameters(parameters)
        .setServerId(RaftPeerId.valueOf(selfId))
        .setGroup(config.joining() ? RaftGroup.valueOf(spec.groupId()) : spec.group())
        .setStateMachine(stateMachine)
        .setProperties(serverProperties)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    this.views = new RaftViews(server, spec.groupId(), selfId, 2 * settings.electionTimeoutMax().toMillis());
    RaftProperties clientProperties = RatisProperties.forClient(settings);
    RaftConfigKeys.Rpc.setType(clientProperties, SupportedRpcType.GRPC);
    // Blocking calls only (admin calls in RaftAdmin, unary calls to the leader in LeaderCalls):
    // each has its own gRPC stream, so one failure cannot close anything another call needs.
    this.raftClient = RaftClient.newBuilder()
        .setParameters(parameters)
        .setRaftGroup(spec.group())
        .setProperties(clientProperties)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            settings.clientRetryAttempts(), RatisProperties.time(settings.clientRetryInterval())))
        .build();
    this.admin = new RaftAdmin(raftClient, selfId, settings.requestTimeout().toMillis(), stateMachine.leaders());
    LeaderCalls calls = new LeaderCalls(server, spec.groupId(), RaftPeerId.valueOf(selfId), raftClient.getClientRpc(),
        new LeaderCalls.Settings(settings.requestTimeout(), settings.callAttemptTimeout(),
            settings.clientRetryInterval(), settings.pendingWriteLimit(), settings.remoteCallThreads()),
        !linearizableReads);
    ReplicatedClient.RaftSend writes = hooks.sharedOrderedClient()
        ? message -> raftClient.async().send(message)
        : calls::write;
    this.client = new ReplicatedClient(writes, settings.groupCommit(), selfId, calls::read, config.clock(),
        stateMachine::queryLocal, hooks.localReads(), !linearizableReads, calls);
    this.staleChannels = new StalePeerChannels(server, spec.groupId(), RaftPeerId.valueOf(selfId),
        staleAfter(settings));
    // A node that stopped applying cannot answer for what it commits: it must not lead.
    HaltedLeaderYield yield = new HaltedLeaderYield(this, stateMachine);
    stateMachine.onHalt(yield::yieldIfHaltedLeader);
    gate.addListener(leadership -> {
      if (leadership.isReadyLeader()) {
        yield.yieldIfHaltedLeader();
      }
    });
  }

  /**
   * Whether this node accepts {@code id} on the Raft port: one of the configured peers, or in the
   * current Raft configuration (members added at run time). Asked per TLS handshake, on a network
   * thread: the configured peers answer without touching the server.
   */
  private boolean isKnownMember(String id) {
    if (spec.member(id).isPresent()) {
      return true;
    }
    // Null only while the constructor is still building the server.
    return views != null && views.members().stream().anyMatch(m -> m.id().equals(id));
  }

  /** How long a peer may stay silent before it gets a fresh channel: two election timeouts, at least a second. */
  static Duration staleAfter(RaftSettings settings) {
    Duration twice = settings.electionTimeoutMax().multipliedBy(2);
    return twice.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : twice;
  }

  public void start() throws IOException {
    server.start();
    staleChannels.start();
    LOG.info("raft started node={} address={} group={}", self.id(), self.address(), spec.groupId());
  }

  /** Commands per entry this node applied: how much group commit batches, cluster-wide. */
  public EntrySizeStats commandsPerEntry() {
    return stateMachine.commandsPerEntry();
  }

  /** Per-entry apply time on this node. */
  public LatencyStats applyLatency() {
    return stateMachine.applyLatency();
  }

  /** Why this node stopped applying the log (FATAL; see ClusterStateMachine), if it did. */
  public Optional<String> applyHalted() {
    return stateMachine.halted();
  }

  /** The feature levels this node's binary applies. */
  public FeatureSupport features() {
    return stateMachine.features();
  }

  public String id() {
    return self.id();
  }

  public RaftSettings settings() {
    return settings;
  }

  public ClusterSpec spec() {
    return spec;
  }

  public LeadershipGate gate() {
    return gate;
  }

  public ReplicatedClient client() {
    return client;
  }

  /** Asks this node's Raft server to take a snapshot now; completes with the index it covers. */
  public CompletableFuture<Long> takeSnapshot() {
    return admin.takeSnapshot();
  }

  /**
   * Asks the group to hand leadership to {@code targetId}; completes when the leader says it is
   * done and this node has heard of the new leader (within the same timeout).
   */
  public CompletableFuture<Void> transferLeadership(String targetId, long timeoutMs) {
    return admin.transferLeadership(targetId, timeoutMs);
  }

  /** Adds one member; completes when the new configuration is committed (see RaftAdmin). */
  public CompletableFuture<Void> addMember(RaftView.MemberView member) {
    return admin.addMember(member);
  }

  /** Replaces the configuration {@code current} with {@code next}, compare-and-set (see RaftAdmin). */
  public CompletableFuture<Void> replaceMembers(List<RaftView.MemberView> current, List<RaftView.MemberView> next) {
    return admin.replaceMembers(current, next);
  }

  /** The leader this node knows (itself included), empty when it knows none. Cheap: for every reply. */
  public String leaderId() {
    return views.leaderId();
  }

  /** The members of the current Raft configuration, as this node knows it. */
  public List<RaftView.MemberView> members() {
    return views.members();
  }

  public RaftView view() {
    return views.view();
  }

  /** The read option, gRPC message limit and appender buffer the running server uses. */
  public EffectiveSettings effectiveSettings() {
    return views.effectiveSettings();
  }

  /** When the latest snapshot's files were written on this node (a received snapshot counts), 0 if none. */
  public long latestSnapshotTimeMs() {
    return views.latestSnapshotTimeMs();
  }

  @Override
  public void close() throws IOException {
    try {
      staleChannels.close();
      client.close();
      raftClient.close();
    } finally {
      server.close();
      LOG.info("raft stopped node={}", self.id());
    }
  }
}
