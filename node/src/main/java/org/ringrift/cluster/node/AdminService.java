package org.ringrift.cluster.node;

import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.node.EventHub;
import org.ringrift.cluster.node.admin.AdminArea;
import org.ringrift.cluster.node.admin.AdminCalls;
import org.ringrift.cluster.node.admin.DaemonAdmin;
import org.ringrift.cluster.node.admin.EventAdmin;
import org.ringrift.cluster.node.admin.FeatureLevelAdmin;
import org.ringrift.cluster.node.admin.MembershipAdmin;
import org.ringrift.cluster.node.admin.NodeRegistryAdmin;
import org.ringrift.cluster.node.admin.QueueAdmin;
import org.ringrift.cluster.node.admin.StateAdmin;
import org.ringrift.cluster.node.admin.SyncAdmin;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.statemachine.CommandChecks;

/**
 * The admin API: one wire service ({@code ringrift.AdminService}) served by one class per area
 * (package {@code node.admin}). Requests that fail the stateless checks are refused there and
 * never reach the log; the rest go through Raft (writes) or a linearizable read, from any node.
 */
final class AdminService {
  private final QueueAdmin queue;
  private final MembershipAdmin members;
  private final NodeRegistryAdmin nodes;
  private final DaemonAdmin daemons;
  private final EventAdmin events;
  private final SyncAdmin sync;
  private final StateAdmin state;
  private final FeatureLevelAdmin features;

  AdminService(RaftNode raft, CommandChecks checks, StatusService status, DaemonManager daemons, EventHub events,
      int maxWatchStreams, Supplier<Optional<String>> writeRefusal) {
    AdminCalls calls = new AdminCalls(raft.client(), checks, writeRefusal, SessionHeaders::current);
    this.queue = new QueueAdmin(calls);
    this.members = new MembershipAdmin(raft, calls);
    this.nodes = new NodeRegistryAdmin(calls);
    this.daemons = new DaemonAdmin(raft.id(), daemons, calls);
    this.events = new EventAdmin(events, maxWatchStreams, calls);
    this.sync = new SyncAdmin(calls);
    this.state = new StateAdmin(raft, status::status, calls);
    this.features = new FeatureLevelAdmin(raft, calls);
  }

  /** Every RPC of the wire service, each bound by its area; building fails if one is missing or bound twice. */
  ServerServiceDefinition bindService() {
    return bind(List.of(queue, members, nodes, daemons, events, sync, state, features));
  }

  static ServerServiceDefinition bind(List<AdminArea> areas) {
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(AdminServiceGrpc.getServiceDescriptor());
    areas.forEach(area -> area.bind(service));
    return service.build();
  }

  QueueAdmin queue() {
    return queue;
  }

  MembershipAdmin members() {
    return members;
  }

  NodeRegistryAdmin nodes() {
    return nodes;
  }

  DaemonAdmin daemons() {
    return daemons;
  }

  EventAdmin events() {
    return events;
  }

  SyncAdmin sync() {
    return sync;
  }

  StateAdmin state() {
    return state;
  }
}
