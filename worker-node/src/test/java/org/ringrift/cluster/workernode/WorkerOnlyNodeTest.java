package org.ringrift.cluster.workernode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.node.DaemonSettings;
import org.ringrift.cluster.node.LocalCluster;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;
import org.ringrift.cluster.raft.TestPorts;

/**
 * A worker-only node: no Raft state, heartbeats and work through the members' admin API. It runs
 * every item (the members here run none), shows up in the node registry as a worker, and keeps
 * working through a failover of the leader it was talking to.
 */
class WorkerOnlyNodeTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aWorkerOnlyNodeRunsWorkThroughTheAdminApiAndSurvivesAFailover() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir.resolve("members"), 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      DaemonSettings fast = DaemonSettings.fast();
      DaemonSettings workerSettings = new DaemonSettings(fast.heartbeatInterval(), fast.leaderTickInterval(),
          fast.reaperFailoverGrace(), fast.retentionInterval(), fast.desiredStatePollInterval(), List.of("worker"),
          List.of("cpu"), false, Map.of(WorkType.WORK_TYPE_SELFPLAY, List.of("/bin/sh", "-c", "cat; echo; echo done")),
          2, Duration.ofSeconds(5));
      Path workerDir = dir.resolve("w1");
      WorkerNodeConfig config = new WorkerNodeConfig("w1", cluster.endpoints(), Duration.ofSeconds(10), workerDir,
          "127.0.0.1", TestPorts.freeBlock(1), workerSettings);
      try (WorkerNodeService worker = new WorkerNodeService(config, Clock.systemUTC())) {
        worker.start();
        ClusterClient client = cluster.client();
        await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
        await().atMost(CONVERGE).until(() -> client.listNodes().stream()
            .anyMatch(n -> n.getNodeId().equals("w1") && n.getRolesList().equals(List.of("worker"))));

        List<String> ids = enqueue(client, 3, "before");
        await().atMost(CONVERGE).until(() -> ids.stream()
            .allMatch(id -> client.getItem(id).getState() == WorkState.WORK_STATE_COMPLETED));
        ids.forEach(id -> {
          assertThat(client.getItem(id).getClaimedNode()).isEqualTo("w1");
          assertThat(client.getItem(id).getResult().toStringUtf8()).contains("before", "done");
        });

        int leader = cluster.readyLeader().orElseThrow();
        cluster.stop(leader);
        List<String> after = enqueue(client, 2, "after");
        await().atMost(CONVERGE).until(() -> after.stream()
            .allMatch(id -> client.getItem(id).getState() == WorkState.WORK_STATE_COMPLETED));
        assertThat(after).allSatisfy(id -> assertThat(client.getItem(id).getClaimedNode()).isEqualTo("w1"));
        assertThat(worker.readiness().ready()).isTrue();
      }
      try (var entries = Files.list(workerDir)) {
        assertThat(entries.map(p -> p.getFileName().toString()).toList())
            .as("a worker-only node keeps work logs only, no Raft log or state").containsExactly("work");
      }
    }
  }

  private static List<String> enqueue(ClusterClient client, int count, String tag) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50)
          .setPayload(ByteString.copyFromUtf8(tag + i)).build()).getItem().getId());
    }
    return ids;
  }
}
