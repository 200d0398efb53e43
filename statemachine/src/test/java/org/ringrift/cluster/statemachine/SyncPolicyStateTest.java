package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.DatasetFile;
import org.ringrift.cluster.proto.DatasetManifest;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;

/** Manifests ride on heartbeats only when they changed; sync routes are validated node selectors. */
class SyncPolicyStateTest {
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

  private static DatasetManifest models(String path) {
    return DatasetManifest.newBuilder().setName("models").setKind("model").addFiles(DatasetFile.newBuilder()
        .setPath(path).setSizeBytes(10).setSha256(Commands.SHA).setMtimeMs(5)).build();
  }

  private static Command.Builder heartbeat(HeartbeatRequest.Builder request) {
    return Command.newBuilder().setHeartbeat(request.setNodeId("n1"));
  }

  @Test
  void aHeartbeatWithoutManifestKeepsTheLastOne() {
    sm.apply(heartbeat(HeartbeatRequest.newBuilder().setManifestIncluded(true).addDatasets(models("a.pt"))
        .setManifestDigest("d1")));
    NodeRecord node = sm.apply(heartbeat(HeartbeatRequest.newBuilder())).getNode().getNode();

    assertThat(node.getDatasetsList()).containsExactly(models("a.pt"));
    assertThat(node.getManifestDigest()).isEqualTo("d1");

    NodeRecord replaced = sm.apply(heartbeat(HeartbeatRequest.newBuilder().setManifestIncluded(true)
        .setManifestDigest("d2"))).getNode().getNode();
    assertThat(replaced.getDatasetsList()).isEmpty();
  }

  @Test
  void badManifestsAreRejectedNamingTheField() {
    sm.rejects(heartbeat(HeartbeatRequest.newBuilder().setManifestIncluded(true).addDatasets(models("../etc/passwd"))),
        RejectCode.REJECT_INVALID_ARGUMENT, "datasets.files.path");
    sm.rejects(heartbeat(HeartbeatRequest.newBuilder().setManifestIncluded(true)
        .addDatasets(models("a").toBuilder().setKind("video"))), RejectCode.REJECT_INVALID_ARGUMENT, "datasets.kind");
    sm.rejects(heartbeat(HeartbeatRequest.newBuilder().addDatasets(models("a"))),
        RejectCode.REJECT_INVALID_ARGUMENT, "datasets");
  }

  @Test
  void syncRoutesAreNodeSelectors() {
    String key = ConfigKeys.syncRouteKey("model");
    sm.apply(Commands.setConfig(key, "role:training, node:n3"));

    assertThat(sm.query(Query.newBuilder().setGetConfig(GetConfigRequest.newBuilder().setKey(key))).getGetConfig()
        .getEntries(0).getValue()).isEqualTo("role:training, node:n3");
    sm.rejects(Commands.setConfig(key, "gpu"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig(ConfigKeys.SYNC_MAX_ATTEMPTS, "0"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
  }
}
