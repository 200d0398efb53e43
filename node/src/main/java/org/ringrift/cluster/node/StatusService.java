package org.ringrift.cluster.node;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.ringrift.cluster.daemons.DaemonState;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.NodeFacts;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.PeerStatus;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.node.monitor.NodeMonitor;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.raft.RaftView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This node's view of the cluster, and whether it is fit to serve. */
public final class StatusService implements StatusSource {
  /** Why this node is or is not ready to serve. */
  public record Readiness(boolean ready, String reason) {}

  private static final Logger LOG = LoggerFactory.getLogger(StatusService.class);

  private final RaftNode raft;
  private final long readyMaxLagEntries;
  private final Supplier<List<Alert>> alerts;
  private final Supplier<List<DaemonStatus>> daemons;
  private final Supplier<NodeFacts> facts;
  private final Supplier<java.util.Optional<String>> writeRefusal;
  private final Supplier<java.util.Optional<String>> applyHalted;

  public StatusService(RaftNode raft, long readyMaxLagEntries, Supplier<List<Alert>> alerts,
      Supplier<List<DaemonStatus>> daemons) {
    this(raft, readyMaxLagEntries, alerts, daemons, NodeFacts::getDefaultInstance);
  }

  public StatusService(RaftNode raft, long readyMaxLagEntries, Supplier<List<Alert>> alerts,
      Supplier<List<DaemonStatus>> daemons, Supplier<NodeFacts> facts) {
    this(raft, readyMaxLagEntries, alerts, daemons, facts, java.util.Optional::empty);
  }

  /** {@code writeRefusal}: why this node refuses writes (a full disk), which also makes it not ready. */
  public StatusService(RaftNode raft, long readyMaxLagEntries, Supplier<List<Alert>> alerts,
      Supplier<List<DaemonStatus>> daemons, Supplier<NodeFacts> facts, Supplier<java.util.Optional<String>> writeRefusal) {
    this(raft, readyMaxLagEntries, alerts, daemons, facts, writeRefusal, java.util.Optional::empty);
  }

  /** {@code applyHalted}: why this node stopped applying the log (a feature level its binary lacks); not ready then. */
  public StatusService(RaftNode raft, long readyMaxLagEntries, Supplier<List<Alert>> alerts,
      Supplier<List<DaemonStatus>> daemons, Supplier<NodeFacts> facts, Supplier<java.util.Optional<String>> writeRefusal,
      Supplier<java.util.Optional<String>> applyHalted) {
    this.applyHalted = applyHalted;
    this.writeRefusal = writeRefusal;
    this.raft = raft;
    this.readyMaxLagEntries = readyMaxLagEntries;
    this.alerts = alerts;
    this.daemons = daemons;
    this.facts = facts;
  }

  @Override
  public NodeStatus status() {
    RaftView view = raft.view();
    NodeStatus.Builder status = NodeStatus.newBuilder()
        .setNodeId(view.nodeId())
        .setClusterId(raft.spec().clusterId())
        .setLeaderId(view.leaderId())
        .setIsLeader(view.isLeader())
        .setRole(view.role())
        .setTerm(view.term())
        .setLeaderReady(view.leaderReady())
        .setAlivePeers(view.alivePeers())
        .setVotersAlive(view.votersAlive())
        .setVoterQuorumOk(view.voterQuorumOk())
        .setAppliedIndex(view.appliedIndex())
        .setCommitIndex(view.commitIndex())
        .setLogStartIndex(view.logStartIndex())
        .setSnapshotIndex(view.snapshotIndex())
        .addAllAlerts(alerts.get())
        .setFacts(facts.get())
        .setBinaryVersion(org.ringrift.cluster.statemachine.features.BuildVersion.version())
        .setMinFeatureLevel(raft.features().min())
        .setMaxFeatureLevel(raft.features().max())
        .setFeatureLevel(featureLevel())
        .setApplyHalted(applyHalted.get().orElse(""));
    sessionCounters().ifPresent(status::setSessions);
    for (RaftView.PeerView peer : view.peers()) {
      status.addPeers(PeerStatus.newBuilder().setId(peer.id()).setAddress(peer.address())
          .setAlive(peer.alive()).setLastContactMs(peer.lastContactMs()));
    }
    return status.build();
  }

  /**
   * The session counters of this node's own applied state: a local read, so status answers while
   * there is no leader. Absent when the state cannot be read (e.g. while a snapshot is installed).
   */
  private java.util.Optional<ListSessionsResult> sessionCounters() {
    try {
      QueryResult result = raft.client().readLocal(NodeMonitor.SESSION_COUNTERS);
      return result.hasListSessions() ? java.util.Optional.of(result.getListSessions()) : java.util.Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.debug("session counters not read node={}: {}", raft.id(), e.toString());
      return java.util.Optional.empty();
    }
  }

  /** The cluster's feature level in this node's applied state; 0 when it cannot be read (halted, restoring). */
  private int featureLevel() {
    try {
      QueryResult result = raft.client().readLocal(org.ringrift.cluster.proto.Query.newBuilder()
          .setGetFeatureLevel(org.ringrift.cluster.proto.GetFeatureLevelRequest.getDefaultInstance()).build());
      return result.hasFeatureLevel() ? result.getFeatureLevel().getLevel() : 0;
    } catch (IOException | RuntimeException e) {
      LOG.debug("feature level not read node={}: {}", raft.id(), e.toString());
      return 0;
    }
  }

  @Override
  public Readiness readiness() {
    java.util.Optional<String> halted = applyHalted.get();
    if (halted.isPresent()) {
      return new Readiness(false, "apply halted: " + halted.get());
    }
    java.util.Optional<String> refused = writeRefusal.get();
    if (refused.isPresent()) {
      return new Readiness(false, refused.get());
    }
    RaftView view = raft.view();
    if (view.leaderId().isEmpty()) {
      return new Readiness(false, "no leader known");
    }
    if (view.isLeader() && !view.leaderReady()) {
      return new Readiness(false, "leader of term " + view.term() + " is not ready yet");
    }
    long lag = view.commitIndex() - view.appliedIndex();
    if (lag > readyMaxLagEntries) {
      return new Readiness(false, "catching up: applied " + view.appliedIndex() + " of " + view.commitIndex());
    }
    for (DaemonStatus daemon : daemons.get()) {
      if (daemon.state() == DaemonState.FAILED) {
        return new Readiness(false, "daemon " + daemon.name() + " FAILED: " + daemon.lastError());
      }
    }
    return new Readiness(true, "ok: leader " + view.leaderId() + " term " + view.term());
  }
}
