package org.ringrift.cluster.node.auth;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.PeerServiceGrpc;

/**
 * The one table of which permission each RPC needs, by full method name. A method missing here
 * is refused to everyone (a test checks that every AdminService and PeerService method is in it).
 */
public final class AccessTable {
  private final Map<String, Permission> byMethod;

  private AccessTable(Map<String, Permission> byMethod) {
    this.byMethod = Map.copyOf(byMethod);
  }

  public Optional<Permission> permission(String fullMethodName) {
    return Optional.ofNullable(byMethod.get(fullMethodName));
  }

  public Map<String, Permission> entries() {
    return byMethod;
  }

  public static AccessTable standard() {
    Map<String, Permission> t = new LinkedHashMap<>();
    put(t, AdminServiceGrpc.getStatusMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getGetDigestMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getTakeSnapshotMethod(), Permission.ADMIN);

    put(t, AdminServiceGrpc.getEnqueueMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getEnqueueBatchMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getClaimMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getExtendMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getStartMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getCompleteMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getFailMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getReleaseMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getCancelMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getRedriveMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getGetItemMethod(), Permission.QUEUE_READ);
    put(t, AdminServiceGrpc.getListItemsMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getGetQueueStatsMethod(), Permission.QUEUE_READ);

    put(t, AdminServiceGrpc.getHeartbeatMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getListNodesMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getBlacklistNodeMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getUnblacklistNodeMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getDrainNodeMethod(), Permission.OPERATE);

    put(t, AdminServiceGrpc.getGetConfigMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getSetConfigMethod(), Permission.ADMIN);
    put(t, AdminServiceGrpc.getListDaemonDesiredMethod(), Permission.QUEUE_READ);
    put(t, AdminServiceGrpc.getSetDaemonDesiredMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getRecentEventsMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getWatchEventsMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getLeaderHistoryMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getSyncHistoryMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getSyncTriggerMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getListDaemonsMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getRestartDaemonMethod(), Permission.OPERATE);

    put(t, AdminServiceGrpc.getListMembersMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getTransferLeaderMethod(), Permission.ADMIN);
    put(t, AdminServiceGrpc.getAddMemberMethod(), Permission.ADMIN);
    put(t, AdminServiceGrpc.getRemoveMemberMethod(), Permission.ADMIN);

    // Anyone who may write may hold a session for it; a worker's session is scoped by its writes.
    put(t, AdminServiceGrpc.getOpenSessionMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getCloseSessionMethod(), Permission.WORK);
    put(t, AdminServiceGrpc.getListSessionsMethod(), Permission.READ);

    // Rolling upgrades: reading the level is a read; moving it changes what the cluster may apply.
    put(t, AdminServiceGrpc.getGetFeatureLevelMethod(), Permission.READ);
    put(t, AdminServiceGrpc.getSetFeatureLevelMethod(), Permission.ADMIN);
    put(t, AdminServiceGrpc.getAnnotateItemMethod(), Permission.OPERATE);
    put(t, AdminServiceGrpc.getSetPriorityMethod(), Permission.OPERATE);

    put(t, PeerServiceGrpc.getReadChunksMethod(), Permission.PEER);
    putAll(t, HealthGrpc.getServiceDescriptor(), Permission.ANY);
    putAll(t, ServerReflectionGrpc.getServiceDescriptor(), Permission.ANY);
    return new AccessTable(t);
  }

  private static void put(Map<String, Permission> table, MethodDescriptor<?, ?> method, Permission permission) {
    if (table.put(method.getFullMethodName(), permission) != null) {
      throw new IllegalStateException("method listed twice: " + method.getFullMethodName());
    }
  }

  private static void putAll(Map<String, Permission> table, ServiceDescriptor service, Permission permission) {
    service.getMethods().forEach(m -> put(table, m, permission));
  }
}
