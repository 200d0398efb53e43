package org.ringrift.cluster.node.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.WorkItem;

class WorkerScopeTest {
  private static final LeaseToken LEASE = LeaseToken.newBuilder().setTerm(2).setSequence(10).build();
  private final Map<String, WorkItem> items = Map.of("w-1",
      WorkItem.newBuilder().setId("w-1").setClaimedBy("gpu1").setLease(LEASE).build());
  private final WorkerScope scope = new WorkerScope(id -> Optional.ofNullable(items.get(id)));

  @Test
  void aWorkerHeartbeatsAndClaimsOnlyAsItself() throws Exception {
    assertThat(scope.refusal("gpu1", HeartbeatRequest.newBuilder().setNodeId("gpu1").build())).isEmpty();
    assertThat(scope.refusal("gpu1", HeartbeatRequest.newBuilder().setNodeId("n1").build())).isPresent();
    assertThat(scope.refusal("gpu1", ClaimRequest.newBuilder().setWorkerId("gpu1").build())).isEmpty();
    assertThat(scope.refusal("gpu1", ClaimRequest.newBuilder().setWorkerId("gpu1").setNodeId("gpu1").build())).isEmpty();
    assertThat(scope.refusal("gpu1", ClaimRequest.newBuilder().setWorkerId("gpu2").build())).isPresent();
    assertThat(scope.refusal("gpu1", ClaimRequest.newBuilder().setWorkerId("gpu1").setNodeId("gpu2").build())).isPresent();
  }

  @Test
  void onlyTheLeaseHolderMayFinishAnItem() throws Exception {
    assertThat(scope.refusal("gpu1", CompleteRequest.newBuilder().setItemId("w-1").setToken(LEASE).build())).isEmpty();
    assertThat(scope.refusal("gpu2", CompleteRequest.newBuilder().setItemId("w-1").setToken(LEASE).build()))
        .hasValueSatisfying(r -> assertThat(r).contains("leased to 'gpu1'"));
    assertThat(scope.refusal("gpu2", ExtendRequest.newBuilder().setItemId("w-1").setToken(LEASE).build())).isPresent();
    assertThat(scope.refusal("gpu2", FailRequest.newBuilder().setItemId("w-1").setToken(LEASE).build())).isPresent();
    assertThat(scope.refusal("gpu2", ReleaseRequest.newBuilder().setItemId("w-1").setToken(LEASE).build())).isPresent();
  }

  @Test
  void aTokenNewerThanTheCurrentLeaseIsRefusedAnOlderOneIsLeftToTheStateMachine() throws Exception {
    LeaseToken future = LEASE.toBuilder().setSequence(11).build();
    LeaseToken past = LEASE.toBuilder().setSequence(9).build();
    assertThat(scope.refusal("gpu1", CompleteRequest.newBuilder().setItemId("w-1").setToken(future).build())).isPresent();
    assertThat(scope.refusal("gpu1", CompleteRequest.newBuilder().setItemId("w-1").setToken(past).build())).isEmpty();
  }

  @Test
  void anUnknownItemIsLeftToTheServiceAndOtherRequestsAreRefused() throws Exception {
    assertThat(scope.refusal("gpu1", CompleteRequest.newBuilder().setItemId("w-9").setToken(LEASE).build())).isEmpty();
    assertThat(scope.refusal("gpu1", EnqueueRequest.getDefaultInstance())).isPresent();
  }
}
