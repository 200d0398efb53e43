package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.statemachine.config.ConfigCommands;
import org.ringrift.cluster.statemachine.daemons.DaemonCommands;
import org.ringrift.cluster.statemachine.leaders.LeaderCommands;
import org.ringrift.cluster.statemachine.nodes.NodeCommands;
import org.ringrift.cluster.statemachine.queue.ClaimCommands;
import org.ringrift.cluster.statemachine.queue.EnqueueCommands;
import org.ringrift.cluster.statemachine.queue.LeaseCommands;
import org.ringrift.cluster.statemachine.queue.QueueAdminCommands;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.queue.QueueQueries;
import org.ringrift.cluster.statemachine.sessions.SessionCommands;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.sync.SyncCommands;

/** One handler per family of commands, built once from the limits. */
record Handlers(
    EnqueueCommands enqueue,
    ClaimCommands claim,
    LeaseCommands leases,
    QueueAdminCommands queueAdmin,
    QueueQueries queueQueries,
    NodeCommands nodes,
    LeaderCommands leaders,
    ConfigCommands config,
    DaemonCommands daemons,
    SyncCommands sync,
    SessionCommands sessions) {

  static Handlers create(QueueLimits limits, SessionLimits sessionLimits) {
    return new Handlers(new EnqueueCommands(limits), new ClaimCommands(limits), new LeaseCommands(limits),
        new QueueAdminCommands(limits), new QueueQueries(), new NodeCommands(), new LeaderCommands(),
        new ConfigCommands(), new DaemonCommands(), new SyncCommands(), new SessionCommands(sessionLimits));
  }
}
