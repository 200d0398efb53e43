package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;

/** The node registry: heartbeat, health, blacklist, unblacklist, drain. */
class NodeCommandsTest {
  private static final long BLACKLIST_BASE_MS = 600_000;

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

  private NodeRecord node(String id) {
    return sm.query(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance())).getListNodes()
        .getNodesList().stream().filter(n -> n.getNodeId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void firstHeartbeatJoinsAndLaterOnesReplaceTheReport() {
    long first = sm.nowMs;
    NodeRecord joined = sm.apply(Commands.heartbeat("n1", "gpu")).getNode().getNode();
    sm.nowMs += 15_000;
    NodeRecord again = sm.apply(Commands.heartbeat("n1", "cpu")).getNode().getNode();

    assertThat(joined.getHealth()).isEqualTo(NodeHealth.NODE_HEALTH_ALIVE);
    assertThat(joined.getRolesList()).containsExactly("worker");
    assertThat(joined.getResourcesMap()).containsEntry("gpus", "1");
    assertThat(joined.getDaemonStatesMap()).containsEntry("heartbeat", "RUNNING");
    assertThat(again.getFirstSeenMs()).isEqualTo(first);
    assertThat(again.getLastHeartbeatMs()).isEqualTo(sm.nowMs);
    assertThat(again.getCapabilitiesList()).containsExactly("cpu");
    assertThat(node("n1")).isEqualTo(again);
    assertThat(sm.events(EventTypes.NODE_JOINED)).hasSize(1);
  }

  @Test
  void heartbeatRejections() {
    sm.rejects(Commands.heartbeat(""), RejectCode.REJECT_INVALID_ARGUMENT, "node_id");
    sm.rejects(Commands.heartbeat("n 1"), RejectCode.REJECT_INVALID_ARGUMENT, "node_id");
    sm.rejects(Commands.heartbeat("n".repeat(129)), RejectCode.REJECT_INVALID_ARGUMENT, "node_id");
    HeartbeatRequest.Builder roles = HeartbeatRequest.newBuilder().setNodeId("n1");
    HeartbeatRequest.Builder caps = HeartbeatRequest.newBuilder().setNodeId("n1");
    HeartbeatRequest.Builder resources = HeartbeatRequest.newBuilder().setNodeId("n1");
    for (int i = 0; i < 65; i++) {
      roles.addRoles("r" + i);
      caps.addCapabilities("c" + i);
      resources.putResources("k" + i, "v");
    }
    sm.rejects(Command.newBuilder().setHeartbeat(roles), RejectCode.REJECT_INVALID_ARGUMENT, "roles");
    sm.rejects(Command.newBuilder().setHeartbeat(caps), RejectCode.REJECT_INVALID_ARGUMENT, "capabilities");
    sm.rejects(Command.newBuilder().setHeartbeat(resources), RejectCode.REJECT_INVALID_ARGUMENT, "resources");
    sm.rejects(Command.newBuilder().setHeartbeat(HeartbeatRequest.newBuilder().setNodeId("n1")
        .putDaemonStates("d", "x".repeat(257))), RejectCode.REJECT_INVALID_ARGUMENT, "daemon_states");
  }

  @Test
  void healthChangesEmitOneEventEachAndAHeartbeatRecovers() {
    sm.apply(Commands.heartbeat("n1"));

    NodeRecord suspect = sm.applyAsLeader(Commands.health("n1", NodeHealth.NODE_HEALTH_SUSPECT)).getNode().getNode();
    sm.applyAsLeader(Commands.health("n1", NodeHealth.NODE_HEALTH_SUSPECT));
    sm.applyAsLeader(Commands.health("n1", NodeHealth.NODE_HEALTH_DEAD));
    NodeRecord back = sm.apply(Commands.heartbeat("n1")).getNode().getNode();

    assertThat(suspect.getHealth()).isEqualTo(NodeHealth.NODE_HEALTH_SUSPECT);
    assertThat(sm.events(EventTypes.NODE_SUSPECT)).hasSize(1);
    assertThat(sm.events(EventTypes.NODE_DEAD)).hasSize(1);
    assertThat(back.getHealth()).isEqualTo(NodeHealth.NODE_HEALTH_ALIVE);
    assertThat(sm.events(EventTypes.NODE_RECOVERED)).hasSize(1);
  }

  @Test
  void setHealthRejections() {
    sm.apply(Commands.heartbeat("n1"));
    sm.rejects(Commands.health("n1", NodeHealth.NODE_HEALTH_DEAD), RejectCode.REJECT_INVALID_ARGUMENT, "expected_term");
    sm.rejects(Commands.health("n2", NodeHealth.NODE_HEALTH_DEAD).setExpectedTerm(sm.term),
        RejectCode.REJECT_NOT_FOUND, "node_id");
    sm.rejects(Commands.health("n1", NodeHealth.NODE_HEALTH_UNSPECIFIED).setExpectedTerm(sm.term),
        RejectCode.REJECT_INVALID_ARGUMENT, "health");
    Rejected.fenced(sm, Commands.health("n1", NodeHealth.NODE_HEALTH_DEAD).setExpectedTerm(sm.term + 1));
    assertThat(node("n1").getHealth()).isEqualTo(NodeHealth.NODE_HEALTH_ALIVE);
  }

  @Test
  void blacklistWithADurationLastsThatLong() {
    sm.apply(Commands.heartbeat("n1"));

    NodeRecord listed = sm.apply(Commands.blacklist("n1", 5_000, "bad disk")).getNode().getNode();

    assertThat(listed.getBlacklistedUntilMs()).isEqualTo(sm.nowMs + 5_000);
    assertThat(listed.getBlacklistReason()).isEqualTo("bad disk");
    assertThat(sm.events(EventTypes.NODE_BLACKLISTED)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("bad disk").contains("5000"));
  }

  @Test
  void blacklistWithoutDurationScalesWithTheFailureCount() {
    NodeRecord fresh = sm.apply(Commands.blacklist("n9", 0, "")).getNode().getNode();
    assertThat(fresh.getBlacklistedUntilMs()).isEqualTo(sm.nowMs + BLACKLIST_BASE_MS);
    assertThat(fresh.getBlacklistReason()).isEqualTo("blacklisted");

    for (int i = 0; i < 3; i++) {
      sm.enqueued(StateFixture.selfplay(1));
      WorkItem item = sm.claim(org.ringrift.cluster.proto.ClaimRequest.newBuilder().setWorkerId("w" + i)
          .setNodeId("n1")).getClaim().getItems(0);
      sm.apply(Commands.fail(item, "crash", true));
    }
    assertThat(node("n1").getFailureCount()).isEqualTo(3);

    NodeRecord listed = sm.apply(Commands.blacklist("n1", 0, "flaky")).getNode().getNode();
    assertThat(listed.getBlacklistedUntilMs()).isEqualTo(sm.nowMs + 3 * BLACKLIST_BASE_MS);
  }

  @Test
  void blacklistBasePeriodComesFromConfig() {
    sm.setConfig("nodes.blacklist_base_ms", 2_000);

    assertThat(sm.apply(Commands.blacklist("n1", 0, "")).getNode().getNode().getBlacklistedUntilMs())
        .isEqualTo(sm.nowMs + 2_000);
  }

  @Test
  void blacklistRejections() {
    sm.rejects(Commands.blacklist("", 1_000, ""), RejectCode.REJECT_INVALID_ARGUMENT, "node_id");
    sm.rejects(Commands.blacklist("n1", -1, ""), RejectCode.REJECT_INVALID_ARGUMENT, "duration_ms");
    sm.rejects(Commands.blacklist("n1", 30L * 24 * 3_600_000 + 1, ""), RejectCode.REJECT_INVALID_ARGUMENT,
        "duration_ms");
    sm.rejects(Commands.blacklist("n1", 1_000, "r".repeat(257)), RejectCode.REJECT_INVALID_ARGUMENT, "reason");
  }

  @Test
  void unblacklistClearsTheBlacklistAndTheFailureCount() {
    sm.enqueued(StateFixture.selfplay(1));
    sm.apply(Commands.fail(sm.claimOne("n1"), "crash", true));
    sm.apply(Commands.blacklist("n1", 0, "flaky"));

    NodeRecord cleared = sm.apply(Commands.unblacklist("n1")).getNode().getNode();

    assertThat(cleared.getBlacklistedUntilMs()).isZero();
    assertThat(cleared.getBlacklistReason()).isEmpty();
    assertThat(cleared.getFailureCount()).isZero();
    assertThat(sm.events(EventTypes.NODE_UNBLACKLISTED)).hasSize(1);
    sm.enqueued(StateFixture.selfplay(1));
    assertThat(sm.claimOne("n1").getClaimedNode()).isEqualTo("n1");
  }

  @Test
  void unblacklistAndDrainNeedAKnownNode() {
    sm.rejects(Commands.unblacklist("n1"), RejectCode.REJECT_NOT_FOUND, "node_id");
    sm.rejects(Commands.unblacklist(""), RejectCode.REJECT_INVALID_ARGUMENT, "node_id");
    sm.rejects(Commands.drain("n1", true), RejectCode.REJECT_NOT_FOUND, "node_id");
    sm.rejects(Commands.drain("n 1", true), RejectCode.REJECT_INVALID_ARGUMENT, "node_id");
  }

  @Test
  void drainSetsAndClearsTheFlag() {
    sm.apply(Commands.heartbeat("n1"));

    assertThat(sm.apply(Commands.drain("n1", true)).getNode().getNode().getDraining()).isTrue();
    assertThat(sm.apply(Commands.heartbeat("n1")).getNode().getNode().getDraining()).isTrue();
    assertThat(sm.apply(Commands.drain("n1", false)).getNode().getNode().getDraining()).isFalse();
    assertThat(sm.events(EventTypes.NODE_DRAINING)).extracting(e -> e.getMessage())
        .containsExactly("draining", "undrained");
  }
}
