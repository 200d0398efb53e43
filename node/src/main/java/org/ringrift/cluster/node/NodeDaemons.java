package org.ringrift.cluster.node;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.DaemonSpec;
import org.ringrift.cluster.daemons.DaemonSpec.RestartPolicy;
import org.ringrift.cluster.daemons.DaemonSpec.Scope;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.daemons.leader.JobReaper;
import org.ringrift.cluster.daemons.leader.NodeLiveness;
import org.ringrift.cluster.daemons.leader.Retention;
import org.ringrift.cluster.daemons.leader.QueuePopulator;
import org.ringrift.cluster.daemons.node.EventHub;
import org.ringrift.cluster.daemons.node.EventRouter;
import org.ringrift.cluster.daemons.node.Heartbeat;
import org.ringrift.cluster.daemons.node.HeartbeatExtension;
import org.ringrift.cluster.daemons.node.WorkerAgent;
import org.ringrift.cluster.daemons.node.WorkerSettings;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.raft.LeadershipGate;
import org.ringrift.cluster.raft.LeadershipSource;
import org.ringrift.cluster.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This node's daemons: the registry, the manager, and the poller of their cluster-wide desired state. */
public final class NodeDaemons implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDaemons.class);

  private final DaemonManager manager;
  private final Proposals proposals;
  private final DaemonSettings settings;
  private final EventHub events = new EventHub();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "daemon-desired-state");
    thread.setDaemon(true);
    return thread;
  });

  /** A Raft member's daemons: the node daemons, the event router and the leader daemons. */
  NodeDaemons(RaftNode raft, DaemonSettings settings, java.nio.file.Path workDir, Clock clock) {
    this(raft, settings, workDir, clock, null);
  }

  /** With {@code sync} (null: no data sync on this node) the heartbeat carries its manifest and the sync daemons run. */
  NodeDaemons(RaftNode raft, DaemonSettings settings, java.nio.file.Path workDir, Clock clock,
      org.ringrift.cluster.node.sync.SyncNode sync) {
    this(raft.id(), new Proposals(raft.client(), raft.settings().requestTimeout()), raft.gate(), settings, workDir,
        clock, Optional.of(raft), sync);
  }

  /** A worker-only node's daemons, reaching the cluster through {@code proposals}: heartbeat and worker agent. */
  public static NodeDaemons workerOnly(String nodeId, Proposals proposals, DaemonSettings settings, java.nio.file.Path workDir,
      Clock clock) {
    return new NodeDaemons(nodeId, proposals, NeverLeader.INSTANCE, settings, workDir, clock, Optional.empty(), null);
  }

  private NodeDaemons(String nodeId, Proposals proposals, LeadershipSource gate, DaemonSettings settings,
      java.nio.file.Path workDir, Clock clock, Optional<RaftNode> member, org.ringrift.cluster.node.sync.SyncNode sync) {
    this.settings = settings;
    this.proposals = proposals;
    RestartPolicy restart = settings.restartPolicy();
    WorkerSettings worker = new WorkerSettings(settings.workCommands(), settings.workerSlots(), settings.workerLease(),
        workDir, 16L * 1024 * 1024, 4096, settings.leaderTickInterval());
    List<DaemonSpec> specs = new java.util.ArrayList<>();
    member.ifPresent(raft -> specs.add(new DaemonSpec("event_router", Scope.EVERY_NODE, List.of(), restart,
        () -> new EventRouter(raft.client(), events, java.time.Duration.ofMillis(250)))));
    specs.add(new DaemonSpec("heartbeat", Scope.EVERY_NODE, List.of(), restart,
        () -> new Heartbeat(proposals, nodeId, settings.roles(), settings.capabilities(), this::states,
            settings.heartbeatInterval(), new org.ringrift.cluster.daemons.node.VersionReporter(
                org.ringrift.cluster.statemachine.features.BuildVersion.version(),
                member.map(RaftNode::features)).and(sync == null ? HeartbeatExtension.NONE : sync.reporter()))));
    if (member.isPresent()) {
      specs.add(new DaemonSpec("job_reaper", Scope.LEADER, List.of(), restart,
          () -> new JobReaper(proposals, clock, settings.leaderTickInterval(), settings.reaperFailoverGrace())));
      specs.add(new DaemonSpec("node_liveness", Scope.LEADER, List.of(), restart,
          () -> new NodeLiveness(proposals, clock, settings.leaderTickInterval())));
      specs.add(new DaemonSpec("retention", Scope.LEADER, List.of(), restart,
          () -> new Retention(proposals, clock, settings.retentionInterval())));
    }
    specs.add(new DaemonSpec("worker_agent", Scope.EVERY_NODE, List.of("heartbeat"), restart,
        () -> new WorkerAgent(proposals, nodeId, settings.capabilities(), worker)));
    if (member.isPresent() && settings.populate()) {
      specs.add(new DaemonSpec("queue_populator", Scope.LEADER, List.of(), restart,
          () -> new QueuePopulator(proposals, settings.leaderTickInterval())));
    }
    if (sync != null) {
      specs.addAll(sync.daemons(proposals, nodeId, clock, settings.leaderTickInterval(), settings.reaperFailoverGrace(),
          restart));
    }
    this.manager = new DaemonManager(specs, gate, clock, System::nanoTime);
  }

  /** A worker-only node holds no Raft state, so it never leads: its leader daemons are not even registered. */
  private enum NeverLeader implements LeadershipSource {
    INSTANCE;

    @Override
    public LeadershipGate.Leadership current() {
      return LeadershipGate.Leadership.NONE;
    }

    @Override
    public void addListener(java.util.function.Consumer<LeadershipGate.Leadership> listener) {
      // Leadership never changes.
    }
  }

  EventHub events() {
    return events;
  }

  public DaemonManager manager() {
    return manager;
  }

  public void start() {
    manager.start();
    long pollMs = settings.desiredStatePollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollDesired, 0, pollMs, TimeUnit.MILLISECONDS);
  }

  private void pollDesired() {
    try {
      List<DaemonDesired> desired = proposals.read(Query.newBuilder()
          .setListDaemons(ListDaemonDesiredRequest.getDefaultInstance()).build()).getListDaemons().getDaemonsList();
      Map<String, Boolean> enabled = new LinkedHashMap<>();
      desired.forEach(d -> enabled.put(d.getName(), d.getEnabled()));
      manager.applyDesired(enabled);
    } catch (Exception e) {
      // No leader right now: keep the last known desired state and try again next poll.
      LOG.debug("desired daemon state not read: {}", e.toString());
    }
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
    poller.shutdownNow();
    manager.close();
  }
}
