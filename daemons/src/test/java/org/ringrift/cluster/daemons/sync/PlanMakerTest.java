package org.ringrift.cluster.daemons.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.DatasetFile;
import org.ringrift.cluster.proto.DatasetManifest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.PlanSyncRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.statemachine.sync.NodeSelector;

class PlanMakerTest {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  private static NodeRecord node(String id, NodeHealth health, String cap, DatasetFile... files) {
    return NodeRecord.newBuilder().setNodeId(id).setHealth(health).addCapabilities(cap)
        .putResources(DatasetReporter.ENDPOINT_RESOURCE, "127.0.0.1:1")
        .addDatasets(DatasetManifest.newBuilder().setName("models").setKind("model").addAllFiles(List.of(files))).build();
  }

  private static DatasetFile file(String path, String sha, long mtime) {
    return DatasetFile.newBuilder().setPath(path).setSha256(sha).setSizeBytes(10).setMtimeMs(mtime).build();
  }

  private static List<PlanSyncRequest> plan(List<NodeRecord> nodes, List<SyncRecord> recent, int maxConcurrent) {
    Predicate<NodeRecord> gpu = NodeSelector.parse("capability:gpu")::matches;
    return PlanMaker.plan(new PlanMaker.Inputs(nodes, recent, Map.of("model", gpu), Set.of(), maxConcurrent, 16, 3));
  }

  @Test
  void theNewestVersionGoesToRoutedNodesFromTheLeastLoadedAliveHolder() {
    List<NodeRecord> nodes = List.of(
        node("n1", NodeHealth.NODE_HEALTH_ALIVE, "cpu", file("m.pt", SHA_B, 20)),
        node("n2", NodeHealth.NODE_HEALTH_ALIVE, "gpu", file("m.pt", SHA_A, 10)),
        node("n3", NodeHealth.NODE_HEALTH_ALIVE, "gpu"),
        node("n4", NodeHealth.NODE_HEALTH_DEAD, "gpu", file("m.pt", "c".repeat(64), 30)));

    List<PlanSyncRequest> plans = plan(nodes, List.of(), 10);

    assertThat(plans).extracting(PlanSyncRequest::getTargetNode, PlanSyncRequest::getSourceNode,
        PlanSyncRequest::getSha256).containsExactly(
            org.assertj.core.groups.Tuple.tuple("n2", "n1", SHA_B), org.assertj.core.groups.Tuple.tuple("n3", "n1", SHA_B));
  }

  @Test
  void oneTransferPerTargetTheConcurrencyCapAndTheAttemptLimitHold() {
    List<NodeRecord> nodes = List.of(
        node("n1", NodeHealth.NODE_HEALTH_ALIVE, "cpu", file("a.pt", SHA_A, 1), file("b.pt", SHA_B, 1)),
        node("n2", NodeHealth.NODE_HEALTH_ALIVE, "gpu"),
        node("n3", NodeHealth.NODE_HEALTH_ALIVE, "gpu"));
    SyncRecord running = SyncRecord.newBuilder().setTargetNode("n2").setSourceNode("n1").setDataset("models")
        .setFile("a.pt").setSha256(SHA_A).setStatus(SyncStatus.SYNC_STATUS_RUNNING).build();

    assertThat(plan(nodes, List.of(running), 10)).extracting(PlanSyncRequest::getTargetNode).containsExactly("n3");
    assertThat(plan(nodes, List.of(running), 1)).isEmpty();

    SyncRecord failed = running.toBuilder().setTargetNode("n3").setStatus(SyncStatus.SYNC_STATUS_FAILED).build();
    List<PlanSyncRequest> afterThreeFailures = plan(nodes, List.of(running, failed, failed, failed), 10);
    assertThat(afterThreeFailures).extracting(PlanSyncRequest::getFile).containsExactly("b.pt");
  }
}
