package org.ringrift.cluster.node.admin;

import io.grpc.ServerServiceDefinition;

/**
 * One area of the admin API (queue, members, nodes, daemons, events, sync, state, feature level):
 * it serves its RPCs of the one wire service {@code ringrift.AdminService}. The service
 * definition refuses to build when an RPC is bound twice or not at all.
 */
public interface AdminArea {
  /** Adds this area's RPCs to the admin service being built. */
  void bind(ServerServiceDefinition.Builder service);
}
