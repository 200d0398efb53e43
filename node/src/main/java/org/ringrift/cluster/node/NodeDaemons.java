package org.ringrift.cluster.node;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ringrift.cluster.daemons.DaemonCatalog;
import org.ringrift.cluster.daemons.DaemonCatalog.Need;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.daemons.LeadershipSource;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.daemons.node.EventHub;
import org.ringrift.cluster.node.daemons.DaemonFactories;
import org.ringrift.cluster.node.daemons.DesiredStatePoller;
import org.ringrift.cluster.node.daemons.RaftLeadership;
import org.ringrift.cluster.node.daemons.RaftStateAccess;
import org.ringrift.cluster.node.sync.SyncNode;
import org.ringrift.cluster.raft.RaftNode;

/** This node's daemons: those of the catalog it can run, their manager, and the poller of their desired state. */
public final class NodeDaemons implements AutoCloseable {
  private final DaemonManager manager;
  private final DesiredStatePoller desired;
  private final EventHub events = new EventHub();

  /** A Raft member's daemons: the node daemons, the event router and the leader daemons. */
  NodeDaemons(RaftNode raft, DaemonSettings settings, Path workDir, Clock clock) {
    this(raft, settings, workDir, clock, null);
  }

  /** With {@code sync} (null: no data sync on this node) the heartbeat carries its manifest and the sync daemons run. */
  NodeDaemons(RaftNode raft, DaemonSettings settings, Path workDir, Clock clock, SyncNode sync) {
    this(raft.id(), new Proposals(new RaftStateAccess(raft.client()), raft.settings().requestTimeout()),
        new RaftLeadership(raft.gate()), settings, workDir, clock, Optional.of(raft), sync);
  }

  /** A worker-only node's daemons, reaching the cluster through {@code proposals}: heartbeat and worker agent. */
  public static NodeDaemons workerOnly(String nodeId, Proposals proposals, DaemonSettings settings, Path workDir,
      Clock clock) {
    // It holds no Raft state, so it never leads: its leader daemons are not even registered.
    return new NodeDaemons(nodeId, proposals, LeadershipSource.NEVER, settings, workDir, clock, Optional.empty(),
        null);
  }

  private NodeDaemons(String nodeId, Proposals proposals, LeadershipSource leadership, DaemonSettings settings,
      Path workDir, Clock clock, Optional<RaftNode> member, SyncNode sync) {
    Set<Need> available = EnumSet.noneOf(Need.class);
    member.ifPresent(raft -> available.add(Need.RAFT_STATE));
    if (sync != null) {
      available.add(Need.DATA_SYNC);
    }
    if (settings.populate()) {
      available.add(Need.QUEUE_POPULATION);
    }
    var factories = DaemonFactories.of(new DaemonFactories.Parts(nodeId, proposals, settings, workDir, clock, member,
        sync, events, this::states));
    this.manager = new DaemonManager(DaemonCatalog.specs(available, factories, settings.restartPolicy()), leadership,
        clock, System::nanoTime);
    this.desired = new DesiredStatePoller(proposals, manager, settings.desiredStatePollInterval());
  }

  EventHub events() {
    return events;
  }

  public DaemonManager manager() {
    return manager;
  }

  public void start() {
    manager.start();
    desired.start();
  }

  private Map<String, String> states() {
    Map<String, String> states = new LinkedHashMap<>();
    for (DaemonStatus status : manager.list()) {
      states.put(status.name(), status.state().name());
    }
    return states;
  }

  @Override
  public void close() {
    desired.close();
    manager.close();
  }
}
