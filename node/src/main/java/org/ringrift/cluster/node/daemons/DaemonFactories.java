package org.ringrift.cluster.node.daemons;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.ringrift.cluster.contract.names.DaemonNames;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.daemons.leader.JobReaper;
import org.ringrift.cluster.daemons.leader.NodeLiveness;
import org.ringrift.cluster.daemons.leader.QueuePopulator;
import org.ringrift.cluster.daemons.leader.Retention;
import org.ringrift.cluster.daemons.node.EventHub;
import org.ringrift.cluster.daemons.node.EventRouter;
import org.ringrift.cluster.daemons.node.Heartbeat;
import org.ringrift.cluster.daemons.node.HeartbeatExtension;
import org.ringrift.cluster.daemons.node.VersionReporter;
import org.ringrift.cluster.daemons.node.WorkerAgent;
import org.ringrift.cluster.daemons.node.WorkerSettings;
import org.ringrift.cluster.node.DaemonSettings;
import org.ringrift.cluster.node.sync.SyncNode;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.statemachine.features.BuildVersion;

/**
 * How this node makes each daemon of the {@link org.ringrift.cluster.daemons.DaemonCatalog} it can run: the daemons' settings
 * and this node's ports to the cluster. The catalog decides which of them run.
 */
public final class DaemonFactories {
  private static final Duration EVENT_ROUTER_INTERVAL = Duration.ofMillis(250);
  private static final long MAX_WORK_LOG_BYTES = 16L * 1024 * 1024;
  private static final int WORK_REPORT_BYTES = 4096;

  /** What the daemons of one node are made from; {@code member} empty on a worker-only node, {@code sync} null without data sync. */
  public record Parts(String nodeId, Proposals proposals, DaemonSettings settings, Path workDir, Clock clock,
      Optional<RaftNode> member, SyncNode sync, EventHub events, Supplier<Map<String, String>> daemonStates) {}

  private DaemonFactories() {}

  public static Map<String, Supplier<Daemon>> of(Parts p) {
    DaemonSettings s = p.settings();
    Proposals proposals = p.proposals();
    Map<String, Supplier<Daemon>> factories = new HashMap<>();
    WorkerSettings worker = new WorkerSettings(s.workCommands(), s.workerSlots(), s.workerLease(), p.workDir(),
        MAX_WORK_LOG_BYTES, WORK_REPORT_BYTES, s.leaderTickInterval());
    factories.put(DaemonNames.HEARTBEAT, () -> new Heartbeat(proposals, p.nodeId(), s.roles(), s.capabilities(),
        p.daemonStates(), s.heartbeatInterval(), new VersionReporter(BuildVersion.version(),
            p.member().map(raft -> raft.features().toString()))
            .and(p.sync() == null ? HeartbeatExtension.NONE : p.sync().reporter())));
    factories.put(DaemonNames.WORKER_AGENT, () -> new WorkerAgent(proposals, p.nodeId(), s.capabilities(), worker));
    p.member().ifPresent(raft -> {
      factories.put(DaemonNames.EVENT_ROUTER,
          () -> new EventRouter(new RaftStateAccess(raft.client()), p.events(), EVENT_ROUTER_INTERVAL));
      factories.put(DaemonNames.JOB_REAPER,
          () -> new JobReaper(proposals, p.clock(), s.leaderTickInterval(), s.reaperFailoverGrace()));
      factories.put(DaemonNames.NODE_LIVENESS, () -> new NodeLiveness(proposals, p.clock(), s.leaderTickInterval()));
      factories.put(DaemonNames.RETENTION, () -> new Retention(proposals, p.clock(), s.retentionInterval()));
      factories.put(DaemonNames.QUEUE_POPULATOR, () -> new QueuePopulator(proposals, s.leaderTickInterval()));
    });
    if (p.sync() != null) {
      factories.putAll(p.sync().daemons(proposals, p.nodeId(), p.clock(), s.leaderTickInterval(),
          s.reaperFailoverGrace()));
    }
    return factories;
  }
}
