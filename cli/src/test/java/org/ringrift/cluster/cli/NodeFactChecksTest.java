package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.NodeFacts;
import org.ringrift.cluster.proto.NodeStatus;

class NodeFactChecksTest {
  private static final long NOW = 1_000_000_000L;

  private static NodeFacts.Builder healthy() {
    return NodeFacts.newBuilder().setFsyncP50Us(300).setFsyncMaxUs(900).setFsyncSamples(20)
        .setElectionTimeoutMinMs(300).setElectionTimeoutMaxMs(600).setReadOption("LINEARIZABLE")
        .setGrpcMessageMaxBytes(5 << 20).setAppenderBufferBytes(4 << 20).setClockMs(NOW)
        .setSnapshotTimeMs(NOW - 60_000).setSnapshotThresholdEntries(10_000);
  }

  private static NodeStatus node(String id, NodeFacts.Builder facts, long applied, long snapshotIndex) {
    return NodeStatus.newBuilder().setNodeId(id).setAppliedIndex(applied).setSnapshotIndex(snapshotIndex)
        .setFacts(facts).build();
  }

  private static NodeFactChecks checks(NodeStatus... nodes) {
    return new NodeFactChecks(List.of(nodes), NOW);
  }

  @Test
  void healthyNodesPassEveryCheck() {
    NodeFactChecks c = checks(node("n1", healthy(), 15_000, 10_000), node("n2", healthy(), 15_000, 10_000));
    assertThat(List.of(c.snapshotAge(), c.fsyncLatency(), c.linearizableReads(), c.messageSize()))
        .extracting(NodeFactChecks.Check::status).containsOnly("PASS");
    assertThat(c.clockOffset(List.of(new NodeFactChecks.ClockReading("n1", NOW - 2, NOW, NOW + 2))).status())
        .isEqualTo("PASS");
  }

  @Test
  void slowFsyncWarnsThenFailsAgainstTheElectionTimeout() {
    assertThat(checks(node("n1", healthy().setFsyncMaxUs(100_000), 1, -1)).fsyncLatency().status()).isEqualTo("WARN");
    assertThat(checks(node("n1", healthy().setFsyncP50Us(200_000).setFsyncMaxUs(200_000), 1, -1)).fsyncLatency()
        .status()).isEqualTo("WARN");
    NodeFactChecks.Check fail = checks(node("n1", healthy().setFsyncP50Us(300_000).setFsyncMaxUs(400_000), 1, -1))
        .fsyncLatency();
    assertThat(fail.status()).isEqualTo("FAIL");
    assertThat(fail.detail()).contains("n1 p50 300 ms");
  }

  @Test
  void staleReadOptionFailsNamingTheNode() {
    NodeFactChecks.Check c = checks(node("n2", healthy().setReadOption("DEFAULT"), 1, -1)).linearizableReads();
    assertThat(c.status()).isEqualTo("FAIL");
    assertThat(c.detail()).contains("n2=DEFAULT");
  }

  @Test
  void messageLimitNotAboveTheAppenderBufferFails() {
    NodeFactChecks.Check c = checks(node("n3", healthy().setGrpcMessageMaxBytes(4 << 20), 1, -1)).messageSize();
    assertThat(c.status()).isEqualTo("FAIL");
    assertThat(c.detail()).contains("n3");
  }

  @Test
  void snapshotsFarBehindTheThresholdWarn() {
    NodeFactChecks.Check c = checks(node("n1", healthy(), 50_000, 10_000)).snapshotAge();
    assertThat(c.status()).isEqualTo("WARN");
    assertThat(c.detail()).contains("lagging", "n1", "40000 entries since");
  }

  @Test
  void clockOffsetBeyondTheRoundTripBoundWarnsAndFails() {
    assertThat(checks().clockOffset(List.of(new NodeFactChecks.ClockReading("n1", NOW, NOW + 5_000, NOW + 10)))
        .status()).isEqualTo("WARN");
    assertThat(checks().clockOffset(List.of(new NodeFactChecks.ClockReading("n1", NOW, NOW - 120_000, NOW + 10)))
        .status()).isEqualTo("FAIL");
    // 3 s offset but a 10 s round trip: not provably off.
    assertThat(checks().clockOffset(List.of(new NodeFactChecks.ClockReading("n1", NOW, NOW + 8_000, NOW + 10_000)))
        .status()).isEqualTo("PASS");
  }

  @Test
  void nodesWithoutFactsGiveAWarningNotAPass() {
    assertThat(checks(NodeStatus.newBuilder().setNodeId("old").build()).fsyncLatency().status()).isEqualTo("WARN");
  }
}
