package org.ringrift.cluster.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.ringrift.cluster.raft.tls.MemberTrustManager;
import org.ringrift.cluster.raft.tls.RaftTls;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One member's Raft server, its state machine and a client into the group. */
public final class RaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

  private final LatencyStats applyLatency;
  private final EntrySizeStats commandsPerEntry;
  private final ClusterSpec spec;
  private final Member self;
  private final RaftSettings settings;
  private final LeadershipGate gate;
  private final RaftServer server;
  private final org.ringrift.cluster.raft.ratis.StalePeerChannels staleChannels;
  private final RaftClient raftClient;
  private final ReplicatedClient client;
  private final ClusterStateMachine stateMachine;
  private static final int MAX_YIELD_ATTEMPTS = 5;
  private final java.util.concurrent.atomic.AtomicBoolean yielding = new java.util.concurrent.atomic.AtomicBoolean();

  public RaftNode(ClusterSpec spec, String selfId, Path dataDir, RaftSettings settings, QueueLimits queueLimits,
      Clock clock) throws IOException {
    this(spec, selfId, dataDir, settings, queueLimits, clock, false);
  }

  /**
   * {@code joining}: start with no configuration of its own and wait to be added by the group's
   * leader (rrctl members add), instead of campaigning in a configuration nobody else has.
   */
  public RaftNode(ClusterSpec spec, String selfId, Path dataDir, RaftSettings settings, QueueLimits queueLimits,
      Clock clock, boolean joining) throws IOException {
    this(spec, selfId, dataDir, settings, queueLimits, clock, joining, UnsafeTestHooks.NONE, java.util.Optional.empty());
  }

  /**
   * {@code hooks}: deliberately broken builds for the chaos harness, {@link UnsafeTestHooks#NONE}
   * otherwise. {@code tls}: mutual TLS on the Raft port, accepting only members' certificates;
   * plaintext when empty.
   */
  public RaftNode(ClusterSpec spec, String selfId, Path dataDir, RaftSettings settings, QueueLimits queueLimits,
      Clock clock, boolean joining, UnsafeTestHooks hooks, java.util.Optional<RaftTls> tls) throws IOException {
    this(spec, selfId, dataDir, settings, queueLimits, clock, joining, hooks, tls,
        org.ringrift.cluster.statemachine.features.FeatureLevels.BUILD);
  }

  /**
   * {@code features}: the feature levels this node's state machine applies; this build's
   * ({@code FeatureLevels.BUILD}) except where a test caps it to stand for an older build.
   */
  public RaftNode(ClusterSpec spec, String selfId, Path dataDir, RaftSettings settings, QueueLimits queueLimits,
      Clock clock, boolean joining, UnsafeTestHooks hooks, java.util.Optional<RaftTls> tls,
      org.ringrift.cluster.statemachine.features.FeatureSupport features) throws IOException {
    this.spec = spec;
    this.self = spec.member(selfId).orElseThrow(
        () -> new IllegalArgumentException("node id " + selfId + " is not among the members " + spec.members()));
    this.settings = settings;
    this.gate = new LeadershipGate(selfId);
    ClusterStateMachine stateMachine = new ClusterStateMachine(dataDir.resolve("state"), queueLimits, gate,
        !hooks.fencingDisabled(), features);
    this.stateMachine = stateMachine;
    this.applyLatency = stateMachine.applyLatency();
    RaftProperties serverProperties =
        RatisProperties.forServer(settings, dataDir.resolve("raft"), self.host(), self.raftPort(),
            !hooks.linearizableReadsDisabled());
    Parameters parameters = tls.map(t -> RatisProperties.tls(t.keyManager(),
        new MemberTrustManager(t.caTrust(), t.peerCheck(), this::isKnownMember))).orElseGet(Parameters::new);
    this.server = RaftServer.newBuilder()
        .setParameters(parameters)
        .setServerId(RaftPeerId.valueOf(selfId))
        .setGroup(joining ? org.apache.ratis.protocol.RaftGroup.valueOf(spec.groupId()) : spec.group())
        .setStateMachine(stateMachine)
        .setProperties(serverProperties)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    RaftProperties clientProperties = RatisProperties.forClient(settings);
    RaftConfigKeys.Rpc.setType(clientProperties, SupportedRpcType.GRPC);
    // Blocking calls only (admin calls here, unary calls to the leader in LeaderCalls): each has
    // its own gRPC stream, so one failure cannot close anything another call needs.
    this.raftClient = RaftClient.newBuilder()
        .setParameters(parameters)
        .setRaftGroup(spec.group())
        .setProperties(clientProperties)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            settings.clientRetryAttempts(), RatisProperties.time(settings.clientRetryInterval())))
        .build();
    boolean linearizableReads = !hooks.linearizableReadsDisabled();
    LeaderCalls calls = new LeaderCalls(server, spec.groupId(), RaftPeerId.valueOf(selfId), raftClient.getClientRpc(),
        new LeaderCalls.Settings(settings.requestTimeout(), settings.callAttemptTimeout(),
            settings.clientRetryInterval(), settings.pendingWriteLimit(), settings.remoteCallThreads()),
        !linearizableReads);
    ReplicatedClient.RaftSend writes = hooks.sharedOrderedClient()
        ? message -> raftClient.async().send(message)
        : calls::write;
    this.client = new ReplicatedClient(writes, settings.groupCommit(), selfId, calls::read, clock,
        stateMachine::queryLocal, hooks.localReads(), !linearizableReads, calls);
    this.commandsPerEntry = stateMachine.commandsPerEntry();
    this.staleChannels = new org.ringrift.cluster.raft.ratis.StalePeerChannels(server, spec.groupId(),
        RaftPeerId.valueOf(selfId), staleAfter(settings));
    // A node that stopped applying cannot answer for what it commits: it must not lead.
    stateMachine.onHalt(this::yieldIfHaltedLeader);
    gate.addListener(leadership -> {
      if (leadership.isReadyLeader()) {
        yieldIfHaltedLeader();
      }
    });
  }

  /**
   * Hands leadership to another voter when this node leads but has stopped applying the log: one
   * hand-over at a time, a few attempts (a transfer times out while the target catches up).
   */
  private void yieldIfHaltedLeader() {
    if (stateMachine.halted().isEmpty() || !isLeaderNow() || !yielding.compareAndSet(false, true)) {
      return;
    }
    java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        for (int attempt = 1; attempt <= MAX_YIELD_ATTEMPTS && isLeaderNow(); attempt++) {
          java.util.Optional<RaftView.MemberView> target = members().stream()
              .filter(m -> m.voter() && !m.id().equals(self.id())).findFirst();
          if (target.isEmpty()) {
            LOG.warn("node={} stopped applying and leads, with no other voter to hand leadership to", self.id());
            return;
          }
          LOG.warn("node={} stopped applying and leads: handing leadership to {} attempt={}", self.id(),
              target.get().id(), attempt);
          try {
            transferLeadership(target.get().id(), settings.requestTimeout().toMillis()).join();
            return;
          } catch (java.util.concurrent.CompletionException e) {
            LOG.info("node={} leadership hand-over to {} failed attempt={}: {}", self.id(), target.get().id(), attempt,
                e.getCause() == null ? e.toString() : e.getCause().toString());
          }
        }
      } finally {
        yielding.set(false);
      }
    });
  }

  private boolean isLeaderNow() {
    try {
      return server != null && view().isLeader();
    } catch (RuntimeException e) {
      return false;
    }
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
    return server != null && members().stream().anyMatch(m -> m.id().equals(id));
  }

  /** How long a peer may stay silent before it gets a fresh channel: two election timeouts, at least a second. */
  static java.time.Duration staleAfter(RaftSettings settings) {
    java.time.Duration twice = settings.electionTimeoutMax().multipliedBy(2);
    return twice.compareTo(java.time.Duration.ofSeconds(1)) < 0 ? java.time.Duration.ofSeconds(1) : twice;
  }

  public void start() throws IOException {
    server.start();
    staleChannels.start();
    LOG.info("raft started node={} address={} group={}", self.id(), self.address(), spec.groupId());
  }

  /** Commands per entry this node applied: how much group commit batches, cluster-wide. */
  public EntrySizeStats commandsPerEntry() {
    return commandsPerEntry;
  }

  /** Per-entry apply time on this node. */
  public LatencyStats applyLatency() {
    return applyLatency;
  }

  /** Why this node stopped applying the log (FATAL; see ClusterStateMachine), if it did. */
  public java.util.Optional<String> applyHalted() {
    return stateMachine.halted();
  }

  /** The feature levels this node's binary applies. */
  public org.ringrift.cluster.statemachine.features.FeatureSupport features() {
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
  public java.util.concurrent.CompletableFuture<Long> takeSnapshot() {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        org.apache.ratis.protocol.RaftClientReply reply = raftClient.getSnapshotManagementApi(RaftPeerId.valueOf(self.id()))
            .create(settings.requestTimeout().toMillis());
        if (!reply.isSuccess()) {
          throw new java.util.concurrent.CompletionException(reply.getException());
        }
        return reply.getLogIndex();
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /** Asks the group to hand leadership to {@code targetId}; completes when the leader says it is done. */
  public java.util.concurrent.CompletableFuture<Void> transferLeadership(String targetId, long timeoutMs) {
    return java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        long deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000;
        org.apache.ratis.protocol.RaftClientReply reply = raftClient.admin()
            .transferLeadership(RaftPeerId.valueOf(targetId), timeoutMs);
        if (!reply.isSuccess()) {
          throw new java.util.concurrent.CompletionException(reply.getException());
        }
        // Ratis answers once the target has won; this node may not have heard from it yet. Whoever
        // asked will read this node's view next, so wait (within the same deadline) until it agrees.
        while (!view().leaderId().equals(targetId) && System.nanoTime() < deadlineNanos) {
          Thread.sleep(10);
        }
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /**
   * Adds one member (joint consensus inside Ratis); completes when the new configuration is
   * committed. The leader merges it into its own configuration (Ratis' ADD mode): this node's view
   * may be behind the leader's, or empty on a node started with --join.
   */
  public java.util.concurrent.CompletableFuture<Void> addMember(RaftView.MemberView member) {
    // Both lists set: Ratis' Arguments checks the servers list it was given, and null fails there.
    List<RaftPeer> added = List.of(peer(member));
    return setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
        .setMode(SetConfigurationRequest.Mode.ADD)
        .setServersInNewConf(member.voter() ? added : List.of())
        .setListenersInNewConf(member.voter() ? List.of() : added)
        .build());
  }

  /**
   * Replaces the configuration {@code current} (this node's view of it) with {@code next};
   * completes when the new configuration is committed. The leader refuses it unless its own
   * configuration is {@code current} (Ratis' COMPARE_AND_SET), so a node whose view is behind
   * cannot undo a change it has not seen yet.
   */
  public java.util.concurrent.CompletableFuture<Void> replaceMembers(List<RaftView.MemberView> current,
      List<RaftView.MemberView> next) {
    return setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .setServersInCurrentConf(peers(current, true)).setListenersInCurrentConf(peers(current, false))
        .setServersInNewConf(peers(next, true)).setListenersInNewConf(peers(next, false))
        .build());
  }

  private java.util.concurrent.CompletableFuture<Void> setConfiguration(SetConfigurationRequest.Arguments arguments) {
    return java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        org.apache.ratis.protocol.RaftClientReply reply = raftClient.admin().setConfiguration(arguments);
        if (!reply.isSuccess()) {
          throw new java.util.concurrent.CompletionException(reply.getException());
        }
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  private static List<RaftPeer> peers(List<RaftView.MemberView> members, boolean voters) {
    return members.stream().filter(m -> m.voter() == voters).map(RaftNode::peer).toList();
  }

  private static RaftPeer peer(RaftView.MemberView member) {
    return RaftPeer.newBuilder().setId(member.id()).setAddress(member.address()).build();
  }

  /** The leader this node knows (itself included), empty when it knows none. Cheap: for every reply. */
  public String leaderId() {
    try {
      RaftPeerId leader = server.getDivision(spec.groupId()).getInfo().getLeaderId();
      return leader == null ? "" : leader.toString();
    } catch (IOException e) {
      return "";
    }
  }

  /** The members of the current Raft configuration, as this node knows it. */
  public List<RaftView.MemberView> members() {
    try {
      RaftServer.Division division = server.getDivision(spec.groupId());
      List<RaftView.MemberView> members = new ArrayList<>();
      for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
        members.add(new RaftView.MemberView(peer.getId().toString(), peer.getAddress(), true));
      }
      for (RaftPeer peer : division.getRaftConf().getCurrentPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER)) {
        members.add(new RaftView.MemberView(peer.getId().toString(), peer.getAddress(), false));
      }
      return members;
    } catch (IOException e) {
      return List.of();
    }
  }

  public RaftView view() {
    try {
      RaftServer.Division division = server.getDivision(spec.groupId());
      DivisionInfo info = division.getInfo();
      RaftPeerId leader = info.getLeaderId();
      String leaderId = leader == null ? "" : leader.toString();
      return new RaftView(self.id(), info.getCurrentRole().name(), info.getCurrentTerm(), leaderId,
          info.isLeaderReady(), info.getLastAppliedIndex(), division.getRaftLog().getLastCommittedIndex(),
          division.getRaftLog().getStartIndex(), snapshotIndex(division),
          peers(division, info.getRoleInfoProto(), leaderId));
    } catch (IOException e) {
      return new RaftView(self.id(), "UNKNOWN", 0, "", false, -1, -1, -1, -1, List.of());
    }
  }

  /** The read option, gRPC message limit and appender buffer the running server uses. */
  public EffectiveSettings effectiveSettings() {
    RaftProperties p = server.getProperties();
    return new EffectiveSettings(org.apache.ratis.server.RaftServerConfigKeys.Read.option(p).name(),
        org.apache.ratis.grpc.GrpcConfigKeys.messageSizeMax(p, m -> { }).getSize(),
        org.apache.ratis.server.RaftServerConfigKeys.Log.Appender.bufferByteLimit(p).getSize());
  }

  /** When the latest snapshot's files were written on this node (a received snapshot counts), 0 if none. */
  public long latestSnapshotTimeMs() {
    try {
      org.apache.ratis.statemachine.SnapshotInfo snapshot =
          server.getDivision(spec.groupId()).getStateMachine().getLatestSnapshot();
      if (snapshot == null || snapshot.getFiles() == null || snapshot.getFiles().isEmpty()) {
        return 0;
      }
      return java.nio.file.Files.getLastModifiedTime(snapshot.getFiles().get(0).getPath()).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long snapshotIndex(RaftServer.Division division) {
    org.apache.ratis.statemachine.SnapshotInfo snapshot = division.getStateMachine().getLatestSnapshot();
    return snapshot == null ? -1 : snapshot.getIndex();
  }

  private List<RaftView.PeerView> peers(RaftServer.Division division, RoleInfoProto role, String leaderId) {
    Map<String, Long> contactMs = new HashMap<>();
    if (role.hasLeaderInfo()) {
      role.getLeaderInfo().getFollowerInfoList().forEach(f ->
          contactMs.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs()));
    } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
      contactMs.put(leaderId, role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs());
    }
    long windowMs = 2 * settings.electionTimeoutMax().toMillis();
    List<RaftView.PeerView> peers = new ArrayList<>();
    for (RaftPeer peer : division.getGroup().getPeers()) {
      String id = peer.getId().toString();
      if (id.equals(self.id())) {
        peers.add(new RaftView.PeerView(id, peer.getAddress(), true, 0));
        continue;
      }
      long contact = contactMs.getOrDefault(id, -1L);
      peers.add(new RaftView.PeerView(id, peer.getAddress(), contact >= 0 && contact <= windowMs, contact));
    }
    return peers;
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
