package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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

/**
 * The admin areas together serve the one wire service exactly: every RPC of
 * {@code ringrift.AdminService} bound once, under the generated descriptor (which gRPC reflection
 * and the Python client read). Binding only wires handlers, so the areas need no cluster here.
 */
class AdminServiceBindingTest {
  private static List<AdminArea> areas() {
    AdminCalls calls = new AdminCalls(null, null, Optional::empty, Optional::empty);
    return new ArrayList<>(List.of(new QueueAdmin(calls), new MembershipAdmin(null, calls),
        new NodeRegistryAdmin(calls), new DaemonAdmin("n1", null, calls), new EventAdmin(null, 1, calls),
        new SyncAdmin(calls), new StateAdmin(null, null, calls), new FeatureLevelAdmin(null, calls)));
  }

  @Test
  void theAreasServeEveryRpcOfTheWireServiceUnderItsGeneratedDescriptor() {
    ServerServiceDefinition service = AdminService.bind(areas());

    assertThat(service.getServiceDescriptor()).isSameAs(AdminServiceGrpc.getServiceDescriptor());
    assertThat(service.getServiceDescriptor().getSchemaDescriptor()).isNotNull();
    List<String> served = service.getMethods().stream()
        .map(m -> m.getMethodDescriptor().getFullMethodName()).toList();
    List<String> wire = AdminServiceGrpc.getServiceDescriptor().getMethods().stream()
        .map(MethodDescriptor::getFullMethodName).toList();
    assertThat(served).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(wire);
    // The same descriptor instances as the generated ones: same marshallers, same method types.
    service.getMethods().forEach(m -> assertThat(AdminServiceGrpc.getServiceDescriptor().getMethods())
        .anyMatch(generated -> generated == m.getMethodDescriptor()));
  }

  @Test
  void aMissingOrDoubleBoundAreaIsRefusedWhenTheServiceIsBuilt() {
    List<AdminArea> missing = areas();
    missing.remove(0);
    assertThatThrownBy(() -> AdminService.bind(missing)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No method bound");

    List<AdminArea> twice = areas();
    twice.add(twice.get(0));
    assertThatThrownBy(() -> AdminService.bind(twice)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already registered");
  }
}
