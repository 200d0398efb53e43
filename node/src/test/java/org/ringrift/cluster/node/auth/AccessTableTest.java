package org.ringrift.cluster.node.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.PeerServiceGrpc;

class AccessTableTest {
  private final AccessTable table = AccessTable.standard();

  @Test
  void everyAdminAndPeerMethodIsInTheTable() {
    List<String> missing = new java.util.ArrayList<>();
    for (var service : List.of(AdminServiceGrpc.getServiceDescriptor(), PeerServiceGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        if (table.permission(method.getFullMethodName()).isEmpty()) {
          missing.add(method.getFullMethodName());
        }
      }
    }
    assertThat(missing).as("methods nobody may call until they are given a permission").isEmpty();
  }

  @Test
  void anUnknownMethodNeedsAPermissionNobodyHas() {
    assertThat(table.permission("ringrift.AdminService/NoSuchCall")).isEmpty();
  }

  @Test
  void operatorRolesNestAndWorkersAndNodesHoldOnlyTheirOwn() {
    assertThat(Grants.of(CertRole.ADMIN)).containsAll(Grants.of(CertRole.OPERATE)).doesNotContain(Permission.PEER);
    assertThat(Grants.of(CertRole.OPERATE)).containsAll(Grants.of(CertRole.READ)).doesNotContain(Permission.ADMIN);
    assertThat(Grants.of(CertRole.READ)).doesNotContain(Permission.OPERATE, Permission.WORK, Permission.ADMIN);
    assertThat(Grants.of(CertRole.WORKER)).isEqualTo(EnumSet.of(Permission.ANY, Permission.QUEUE_READ, Permission.WORK));
    assertThat(Grants.of(CertRole.NODE)).doesNotContain(Permission.WORK, Permission.OPERATE, Permission.ADMIN);
  }

  @Test
  void theIssuesRoleSplitHolds() {
    assertThat(table.permission(AdminServiceGrpc.getEnqueueMethod().getFullMethodName())).contains(Permission.OPERATE);
    assertThat(table.permission(AdminServiceGrpc.getWatchEventsMethod().getFullMethodName())).contains(Permission.READ);
    assertThat(table.permission(AdminServiceGrpc.getListItemsMethod().getFullMethodName())).contains(Permission.READ);
    assertThat(table.permission(AdminServiceGrpc.getRestartDaemonMethod().getFullMethodName()))
        .contains(Permission.OPERATE);
    for (var admin : List.of(AdminServiceGrpc.getAddMemberMethod(), AdminServiceGrpc.getRemoveMemberMethod(),
        AdminServiceGrpc.getSetConfigMethod(), AdminServiceGrpc.getTakeSnapshotMethod(),
        AdminServiceGrpc.getTransferLeaderMethod())) {
      assertThat(table.permission(admin.getFullMethodName())).as(admin.getFullMethodName()).contains(Permission.ADMIN);
    }
  }
}
