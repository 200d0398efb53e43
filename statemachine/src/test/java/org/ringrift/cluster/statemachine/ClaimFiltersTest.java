package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/** Which items a claim may take: targeting, exclusion, capabilities, groups, types, node status. */
class ClaimFiltersTest {
  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private List<String> claimIds(ClaimRequest.Builder request) {
    return sm.claim(request).getClaim().getItemsList().stream().map(WorkItem::getId).toList();
  }

  private static ClaimRequest.Builder worker(String worker, String node, int maxItems) {
    return ClaimRequest.newBuilder().setWorkerId(worker).setNodeId(node).setMaxItems(maxItems);
  }

  @Test
  void nodeDefaultsToTheWorkerAndLeaseLengthIsHonoured() {
    sm.enqueued(StateFixture.selfplay(1));

    WorkItem item = sm.claim(worker("w1", "", 1).setLeaseMs(20_000)).getClaim().getItems(0);

    assertThat(item.getClaimedNode()).isEqualTo("w1");
    assertThat(item.getClaimedBy()).isEqualTo("w1");
    assertThat(item.getLeaseExpiresMs()).isEqualTo(sm.nowMs + 20_000);
  }

  @Test
  void targetedItemGoesOnlyToItsNodeUntilTheTargetExpires() {
    sm.enqueued(StateFixture.selfplay(1).setTargetNode("n1").setTargetNodeExpiresMs(sm.nowMs + 10_000));

    assertThat(claimIds(worker("w2", "n2", 1))).isEmpty();
    sm.nowMs += 10_000;
    assertThat(claimIds(worker("w2", "n2", 1))).containsExactly("w-1");
  }

  @Test
  void targetWithoutExpiryIsForEver() {
    sm.enqueued(StateFixture.selfplay(1).setTargetNode("n1"));
    sm.nowMs += 365L * 24 * 3_600_000;

    assertThat(claimIds(worker("w2", "n2", 1))).isEmpty();
    assertThat(claimIds(worker("w1", "n1", 1))).containsExactly("w-1");
  }

  @Test
  void excludedNodeNeverGetsTheItem() {
    sm.enqueued(StateFixture.selfplay(1).addExcludedNodes("n1"));

    assertThat(claimIds(worker("w1", "n1", 1))).isEmpty();
    assertThat(claimIds(worker("w2", "n2", 1))).containsExactly("w-1");
  }

  @Test
  void itemNeedsEveryRequiredCapability() {
    sm.enqueued(StateFixture.selfplay(1).addRequiredCapabilities("gpu").addRequiredCapabilities("cuda12"));

    assertThat(claimIds(worker("w1", "n1", 1))).isEmpty();
    assertThat(claimIds(worker("w1", "n1", 1).addCapabilities("gpu"))).isEmpty();
    assertThat(claimIds(worker("w1", "n1", 1).addCapabilities("cuda12").addCapabilities("gpu")
        .addCapabilities("avx2"))).containsExactly("w-1");
  }

  @Test
  void claimTakesOnlyTheRequestedTypesInPriorityOrder() {
    sm.enqueued(StateFixture.selfplay(10));
    sm.enqueued(StateFixture.selfplay(20).setType(WorkType.WORK_TYPE_TRAINING));
    sm.enqueued(StateFixture.selfplay(30).setType(WorkType.WORK_TYPE_GAUNTLET));
    sm.enqueued(StateFixture.selfplay(30));

    assertThat(claimIds(worker("w1", "", 10).addWorkTypes(WorkType.WORK_TYPE_SELFPLAY)
        .addWorkTypes(WorkType.WORK_TYPE_TRAINING).addWorkTypes(WorkType.WORK_TYPE_SELFPLAY)))
        .containsExactly("w-4", "w-2", "w-1");
  }

  @Test
  void groupLimitsItemsInFlightAcrossClaimsAndTypes() {
    sm.enqueued(StateFixture.selfplay(90).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(80).setGroupKey("g").setType(WorkType.WORK_TYPE_TRAINING));
    sm.enqueued(StateFixture.selfplay(70).setGroupKey("h"));

    assertThat(claimIds(worker("w1", "", 10))).containsExactly("w-1", "w-3");
    assertThat(claimIds(worker("w2", "", 10))).isEmpty();
  }

  @Test
  void aFullGroupDoesNotHideLaterItemsOfTheSameType() {
    sm.enqueued(StateFixture.selfplay(90).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(80).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(70));

    assertThat(claimIds(worker("w1", "", 2))).containsExactly("w-1", "w-3");
  }

  @Test
  void aGroupFullInOneTypeDoesNotHideItemsOfAnotherType() {
    sm.enqueued(StateFixture.selfplay(90).setGroupKey("g").setType(WorkType.WORK_TYPE_TRAINING));
    sm.enqueued(StateFixture.selfplay(80).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(70).setGroupKey("g"));
    sm.enqueued(StateFixture.selfplay(60));
    sm.enqueued(StateFixture.selfplay(50).setType(WorkType.WORK_TYPE_TRAINING));

    assertThat(claimIds(worker("w1", "", 3))).containsExactly("w-1", "w-4", "w-5");
  }

  @Test
  void groupLimitComesFromConfig() {
    sm.setConfig("queue.group_max_in_flight", 2);
    for (int i = 0; i < 3; i++) {
      sm.enqueued(StateFixture.selfplay(50).setGroupKey("g"));
    }

    assertThat(claimIds(worker("w1", "", 10))).containsExactly("w-1", "w-2");
    WorkItem first = sm.item("w-1");
    sm.apply(Commands.complete(first, "ok"));
    assertThat(claimIds(worker("w1", "", 10))).containsExactly("w-3");
  }

  @Test
  void blacklistedNodeCannotClaimUntilTheBlacklistEnds() {
    sm.enqueued(StateFixture.selfplay(1));
    sm.apply(Commands.blacklist("n1", 60_000, "flaky gpu"));

    org.ringrift.cluster.proto.Rejection rejection = sm.rejects(Commands.claim("w1", "n1", 1),
        RejectCode.REJECT_FAILED_PRECONDITION, "node_id");
    assertThat(rejection.getMessage()).contains("flaky gpu");
    sm.nowMs += 60_000;
    assertThat(claimIds(worker("w1", "n1", 1))).containsExactly("w-1");
  }

  @Test
  void drainingNodeCannotClaimUntilUndrained() {
    sm.enqueued(StateFixture.selfplay(1));
    sm.apply(Commands.heartbeat("n1"));
    sm.apply(Commands.drain("n1", true));

    sm.rejects(Commands.claim("w1", "n1", 1), RejectCode.REJECT_FAILED_PRECONDITION, "node_id");
    sm.apply(Commands.drain("n1", false));
    assertThat(claimIds(worker("w1", "n1", 1))).containsExactly("w-1");
  }

  @Test
  void invalidClaimsNameTheirField() {
    sm.enqueued(StateFixture.selfplay(1));
    invalid(worker("", "", 1), "worker_id");
    invalid(worker("w 1", "", 1), "worker_id");
    invalid(worker("w1", "n 1", 1), "node_id");
    invalid(worker("w1", "", 11), "max_items");
    invalid(worker("w1", "", -1), "max_items");
    invalid(worker("w1", "", 1).setLeaseMs(999), "lease_ms");
    invalid(worker("w1", "", 1).setLeaseMs(24 * 3_600_000L + 1), "lease_ms");
    invalid(worker("w1", "", 1).addWorkTypes(WorkType.WORK_TYPE_UNSPECIFIED), "work_types");
    assertThat(invalid(worker("w1", "", 1).addWorkTypesValue(99), "work_types").getMessage())
        .startsWith("unknown work type 99");
    invalid(worker("w1", "", 1).addCapabilities(""), "capabilities");
  }

  private org.ringrift.cluster.proto.Rejection invalid(ClaimRequest.Builder request, String field) {
    return sm.rejects(Command.newBuilder().setClaim(request), RejectCode.REJECT_INVALID_ARGUMENT, field);
  }
}
